import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** postgres://… switches to PostgreSQL; otherwise SQLite under dataDir. */
  databaseUrl?: string;
  /** PostgreSQL schema to use (tests isolate themselves in one). */
  databaseSchema?: string;
  baseUrl: string;
  smtpUrl?: string;
  mailFrom: string;
  demo: boolean;
  defaultCommune: string;
  tileUrl: string;
  /** Multiplies every rate limit; 0 disables them (never in production). */
  rateLimitFactor: number;
  logLevel: string;
  /** Run the outbox worker inside the server process. */
  mailWorker: boolean;
  /** Memory for the anonymous page cache, in megabytes (0 turns it off). */
  pageCacheMb: number;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '127.0.0.1';
  const base: Config = {
    port,
    host,
    dataDir: path.resolve(env.DATA_DIR ?? './data'),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.DATABASE_SCHEMA || undefined,
    baseUrl: (env.BASE_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`).replace(/\/$/, ''),
    smtpUrl: env.SMTP_URL || undefined,
    mailFrom: env.MAIL_FROM ?? 'Commune Ouverte <no-reply@localhost>',
    demo: env.DEMO !== '0',
    defaultCommune: env.DEFAULT_COMMUNE ?? 'tetouan',
    tileUrl: env.TILE_URL ?? 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
    rateLimitFactor: env.RATE_LIMIT_FACTOR === undefined ? 1 : Number(env.RATE_LIMIT_FACTOR),
    logLevel: env.LOG_LEVEL ?? 'info',
    mailWorker: env.MAIL_WORKER !== '0',
    pageCacheMb: env.PAGE_CACHE_MB === undefined ? 32 : Number(env.PAGE_CACHE_MB),
  };
  return { ...base, ...overrides };
}

export function secureCookies(config: Config): boolean {
  return config.baseUrl.startsWith('https://');
}
