/**
 * `/docs` (Swagger UI over the generated OpenAPI document), `/docs/openapi.json` and `/asyncapi.json`: public,
 * outside `/v1`, built once at start.
 */
import type { INestApplication } from '@nestjs/common';
import { type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { buildAsyncApiDocument, type AsyncApiOptions } from './asyncapi';
import { buildOpenApiDocument } from './openapi';

export function mountDocs(app: INestApplication, asyncApi: AsyncApiOptions): void {
  const openapi = buildOpenApiDocument();
  const asyncapi = buildAsyncApiDocument(asyncApi);
  SwaggerModule.setup('docs', app, openapi as unknown as OpenAPIObject, { jsonDocumentUrl: 'docs/openapi.json', raw: ['json'] });
  app.use('/asyncapi.json', (_req: Request, res: Response) => res.json(asyncapi));
  app.use(methodNotAllowed(openapi.paths ?? {}));
}

/**
 * 405 with `Allow` for a documented path asked with a method it does not have (instead of Nest's 404), from
 * the OpenAPI document's own path list.
 */
function methodNotAllowed(paths: Record<string, object>) {
  const routes = Object.entries(paths).map(([template, ops]) => ({
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    allow: Object.keys(ops).map((m) => m.toUpperCase()),
  }));
  return (req: Request, res: Response, next: NextFunction) => {
    const route = routes.find((r) => r.pattern.test(req.path));
    if (!route || route.allow.includes(req.method) || req.method === 'OPTIONS' || (req.method === 'HEAD' && route.allow.includes('GET'))) return next();
    res.setHeader('Allow', route.allow.join(', '));
    res.status(405).json({ error: 'method_not_allowed', message: `${req.method} is not supported here; use ${route.allow.join(' or ')}` });
  };
}
