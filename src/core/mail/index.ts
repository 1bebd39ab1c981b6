import nodemailer, { type Transporter } from 'nodemailer';
import type { AnyDB } from '../db/index.ts';
import { iso, systemClock } from '../clock/index.ts';

export interface OutgoingMail {
  communeId: number; to: string; subject: string; text: string;
  /** The address that stops such mail: sent as List-Unsubscribe with List-Unsubscribe-Post (RFC 8058, one click in the mail client). */
  unsubscribe?: string;
  /** When it was queued (the service's injected clock); the process's clock when not given. */
  at?: Date;
  /** Small text attachments (a meeting's .ics), kept in the outbox with the message. */
  attachments?: MailAttachment[];
}
export interface MailAttachment { filename: string; contentType: string; content: string }

/** Queues a message in the outbox, inside the caller's transaction: it goes only if the change commits. */
export async function queueMail(trx: AnyDB, m: OutgoingMail): Promise<void> {
  await queueMails(trx, [m]);
}

/** Queues several messages in one statement (a change told to every follower), inside the caller's transaction. */
export async function queueMails(trx: AnyDB, mails: OutgoingMail[]): Promise<void> {
  if (!mails.length) return;
  const now = systemClock.now();
  await trx.insertInto('outbox').values(mails.map((m) => ({
    commune_id: m.communeId, to_addr: m.to, subject: m.subject, body_text: m.text, list_unsubscribe: m.unsubscribe ?? null,
    attachments: m.attachments?.length ? JSON.stringify(m.attachments) : null, status: 'pending', attempts: 0, created_at: iso(m.at ?? now),
  }))).execute();
}

export function createTransport(smtpUrl: string | undefined): Transporter {
  // Without SMTP_URL mail is rendered but not sent: the outbox keeps it and the log says so.
  return smtpUrl ? nodemailer.createTransport(smtpUrl) : nodemailer.createTransport({ jsonTransport: true });
}

const MAX_ATTEMPTS = 5;

/** Sends pending messages; returns how many were sent. Safe to run from several processes on PostgreSQL. */
export async function drainOutbox(db: AnyDB, transport: Transporter, from: string, limit = 50): Promise<number> {
  const pending = await db.selectFrom('outbox').select(['id', 'to_addr', 'subject', 'body_text', 'attempts', 'list_unsubscribe', 'attachments'])
    .where('status', '=', 'pending').orderBy('id').limit(limit).execute();
  let sent = 0;
  for (const m of pending) {
    // Claim the message so two workers never send it twice.
    const claim = await db.updateTable('outbox').set({ status: 'sending' }).where('id', '=', m.id).where('status', '=', 'pending').executeTakeFirst();
    if (Number(claim.numUpdatedRows) !== 1) continue;
    try {
      await transport.sendMail({
        from, to: m.to_addr, subject: m.subject, text: m.body_text,
        ...(m.attachments ? { attachments: JSON.parse(m.attachments) as MailAttachment[] } : {}),
        ...(m.list_unsubscribe ? { list: { unsubscribe: m.list_unsubscribe }, headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
      });
      await db.updateTable('outbox').set({ status: 'sent', sent_at: iso(), attempts: m.attempts + 1 }).where('id', '=', m.id).execute();
      sent++;
    } catch (err) {
      const attempts = m.attempts + 1;
      await db.updateTable('outbox').set({ status: attempts >= MAX_ATTEMPTS ? 'failed' : 'pending', attempts, last_error: String((err as Error).message).slice(0, 500) })
        .where('id', '=', m.id).execute();
    }
  }
  return sent;
}
