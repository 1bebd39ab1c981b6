import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../../../core/service.ts';
import { AppError } from '../../../core/http/errors.ts';
import { limited } from '../../../core/http/form-route.ts';
import { publicOrigin } from '../../../core/http/origin.ts';
import { tr } from '../../../core/i18n/index.ts';
import { toXml, type XmlValue } from './xml.ts';
import * as o311 from './service.ts';
import { MAX_PHOTOS } from '../service.ts';

/**
 * Open311 GeoReport v2 under /open311/v2/: every endpoint in `.json` and `.xml`, errors as the
 * specification's list of { code, description } with 400, 403 or 404 (429 when rate-limited).
 */
export const OPEN311_PREFIX = '/open311/v2';
export const POST_LIMIT = 60;

type Format = 'json' | 'xml';

const ITEMS: Record<string, string> = {
  services: 'service', service_requests: 'request', errors: 'error', attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format',
  // FixMyStreet's extension: GET answers `service_requests_updates`, POST `service_request_updates` (as its own tests do).
  service_requests_updates: 'request_update', service_request_updates: 'request_update',
};

/** `services.json` → { name: 'services', format: 'json' }; no known extension → format null. */
function split(file: string): { name: string; format: Format | null } {
  const i = file.lastIndexOf('.');
  const ext = i < 0 ? '' : file.slice(i + 1).toLowerCase();
  return ext === 'json' || ext === 'xml' ? { name: file.slice(0, i), format: ext } : { name: file, format: null };
}

function formatOfUrl(url: string): Format {
  const path = url.split('?')[0];
  return /\.xml$/i.test(path) ? 'xml' : 'json';
}

function send(reply: FastifyReply, format: Format, status: number, root: string, data: XmlValue) {
  if (format === 'xml') return reply.code(status).type('text/xml; charset=utf-8').send(toXml(root, data, ITEMS));
  return reply.code(status).type('application/json; charset=utf-8').send(JSON.stringify(data));
}

function sendErrors(reply: FastifyReply, format: Format, status: number, errors: o311.ApiError[]) {
  return send(reply, format, status, 'errors', errors as unknown as XmlValue);
}

const param = (req: FastifyRequest, name: string): string => {
  const v = (req.query as Record<string, unknown> | undefined)?.[name] ?? (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v[0].trim() : '';
};

/** The commune the call is about: `jurisdiction_id` (a commune's slug) when given, else the host's. */
function contextOf(req: FastifyRequest): Ctx {
  const base = req.ctx;
  const jurisdiction = param(req, 'jurisdiction_id');
  if (!jurisdiction) return { ...base, actor: null };
  const commune = req.server.tenancy.bySlugOrNull(jurisdiction.toLowerCase());
  if (!commune) throw new o311.Open311Error(404, [{ code: 404, description: req.t('requests.open311.errors.jurisdiction', { id: jurisdiction.slice(0, 60) }) }]);
  return { ...base, commune, actor: null };
}

/** Where links (the discovery's, photos') point: the commune's configured host, never the Host the client sent. */
const originOf = (req: FastifyRequest, ctx: Ctx): string => publicOrigin(req.server.appConfig, ctx.commune);

export const open311Routes: FastifyPluginAsync = async (app) => {
  await app.register(async (api) => {
    api.addHook('onSend', async (req, reply, payload) => {
      // Public, read-only data: any web page may read it.
      if (req.method === 'GET' || req.method === 'HEAD') reply.header('access-control-allow-origin', '*');
      return payload;
    });

    api.setErrorHandler((err: any, req, reply) => {
      const format = formatOfUrl(req.url);
      if (err instanceof o311.Open311Error) return sendErrors(reply, format, err.status, err.errors);
      const status: number = err instanceof AppError ? err.status : typeof err.statusCode === 'number' ? err.statusCode : 500;
      if (status === 429) return sendErrors(reply, format, 429, [{ code: 429, description: req.t('errors.rateLimited', err.params ?? {}) }]);
      // More files than the multipart parser takes (a client sending many photos): said as the photo limit it is.
      if (err?.code === 'FST_FILES_LIMIT') return sendErrors(reply, format, 400, [{ code: 400, description: `media: ${req.t('requests.errors.tooManyPhotos', { max: MAX_PHOTOS })}` }]);
      if (status >= 400 && status < 500) {
        // Malformed bodies, unsupported media types, bodies too large: the client's request is bad.
        const code = status === 403 || status === 404 ? status : 400;
        return sendErrors(reply, format, code, [{ code, description: req.t(code === 404 ? 'errors.notFound' : code === 403 ? 'errors.forbidden' : 'errors.badRequest') }]);
      }
      req.log.error({ err }, 'open311 failed');
      return sendErrors(reply, format, 500, [{ code: 500, description: req.t('errors.server') }]);
    });

    api.setNotFoundHandler((req, reply) => sendErrors(reply, formatOfUrl(req.url), 404, [{ code: 404, description: req.t('requests.open311.errors.endpoint') }]));

    const notFound = (req: FastifyRequest) => new o311.Open311Error(404, [{ code: 404, description: req.t('requests.open311.errors.endpoint') }]);

    api.get<{ Params: { file: string } }>('/:file', async (req, reply) => {
      const { name, format } = split(req.params.file);
      if (!format) throw notFound(req);
      const ctx = contextOf(req);
      if (name === 'discovery') {
        const url = `${originOf(req, ctx)}${OPEN311_PREFIX}`;
        return send(reply, format, 200, 'discovery', {
          changeset: o311.CHANGESET,
          contact: req.t('requests.open311.contact', { commune: tr(ctx.commune.name, ctx.locale), url: `${originOf(req, ctx)}/${ctx.locale}/` }),
          key_service: req.t('requests.open311.keyService'),
          endpoints: [{ specification: o311.SPECIFICATION, url, changeset: o311.CHANGESET, type: 'production', formats: ['text/xml', 'application/json'] }],
        });
      }
      if (name === 'services') return send(reply, format, 200, 'services', await o311.services(ctx));
      if (name === 'requests') return send(reply, format, 200, 'service_requests', await o311.findRequests(ctx, req.query as Record<string, unknown>, { origin: originOf(req, ctx) }));
      if (name === 'servicerequestupdates') {
        return send(reply, format, 200, 'service_requests_updates', await o311.findUpdates(ctx, req.query as Record<string, unknown>, { origin: originOf(req, ctx) }));
      }
      throw notFound(req);
    });

    const serviceDefinition = async (req: FastifyRequest<{ Params: { file: string } }>, reply: FastifyReply) => {
      const { name, format } = split(req.params.file);
      if (!format) throw notFound(req);
      return send(reply, format, 200, 'service_definition', await o311.serviceDefinition(contextOf(req), name));
    };
    api.get<{ Params: { file: string } }>('/services/:file', serviceDefinition);
    // The singular, as some clients (the `open311` library) write it.
    api.get<{ Params: { file: string } }>('/service/:file', serviceDefinition);

    api.get<{ Params: { file: string } }>('/requests/:file', async (req, reply) => {
      const { name, format } = split(req.params.file);
      if (!format) throw notFound(req);
      const ctx = contextOf(req);
      return send(reply, format, 200, 'service_requests', await o311.findRequest(ctx, name, { origin: originOf(req, ctx) }));
    });

    api.get<{ Params: { file: string } }>('/tokens/:file', async (req, reply) => {
      const { name, format } = split(req.params.file);
      if (!format) throw notFound(req);
      const ctx = contextOf(req);
      return send(reply, format, 200, 'service_requests', await o311.resolveToken(ctx, await o311.tokenSecret(ctx), name));
    });

    // Acknowledged only once the request's transaction has committed (SQLite synchronous=FULL).
    api.post<{ Params: { file: string } }>('/:file', limited(app.appConfig, POST_LIMIT), async (req, reply) => {
      const { name, format } = split(req.params.file);
      if (!format || (name !== 'requests' && name !== 'servicerequestupdates')) throw notFound(req);
      const ctx = contextOf(req);
      // Parameters in the body, as the specification says; some clients put api_key in the query string.
      const body = { ...(req.query as Record<string, unknown>), ...(req.body && typeof req.body === 'object' ? req.body as Record<string, unknown> : {}) };
      if (name === 'servicerequestupdates') return send(reply, format, 200, 'service_request_updates', await o311.submitUpdate(ctx, body));
      return send(reply, format, 200, 'service_requests', await o311.submit(ctx, { body, secret: await o311.tokenSecret(ctx) }));
    });
  }, { prefix: OPEN311_PREFIX });
};
