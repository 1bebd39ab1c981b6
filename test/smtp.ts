import { SMTPServer } from 'smtp-server';
import nodemailer, { type Transporter } from 'nodemailer';

export interface Mail { from: string; to: string[]; raw: string; subject: string; text: string }

/** A real SMTP server on loopback that keeps what it receives. */
export async function startSmtp(): Promise<{ url: string; mails: Mail[]; transport: Transporter; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const [head, ...body] = raw.split(/\r?\n\r?\n/);
        const subject = decodeHeader(head.match(/^Subject: (.*(?:\r?\n[ \t].*)*)/m)?.[1] ?? '');
        mails.push({ from: session.envelope.mailFrom ? (session.envelope.mailFrom as { address: string }).address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, subject, text: decodeBody(head, body.join('\n\n')) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  const url = `smtp://127.0.0.1:${port}`;
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  return { url, mails, transport, close: () => new Promise<void>((r) => server.close(() => r())) };
}

function decodeHeader(v: string): string {
  return v.replace(/\r?\n[ \t]/g, ' ').replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_m, enc: string, s: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(s, 'base64').toString('utf8') : decodeQP(s.replace(/_/g, ' '))).replace(/\?=\s+=\?/g, '');
}

function decodeQP(s: string): string {
  return Buffer.from(s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
}

function decodeBody(head: string, body: string): string {
  if (/Content-Transfer-Encoding: base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/Content-Transfer-Encoding: quoted-printable/i.test(head)) return decodeQP(body);
  return body;
}
