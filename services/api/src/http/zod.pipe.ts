/**
 * Request validation with the same zod schemas the OpenAPI document is generated from. A bad request is a 400
 * whose body names each field and why: `{ error: 'validation', issues: [{ field: 'limit', reason: '…' }] }`.
 *
 *   @Get() list(@Query(new ZodPipe(anomalyQuerySchema)) q: AnomalyQuery) { … }
 */
import { BadRequestException, type PipeTransform } from '@nestjs/common';
import type { z } from 'zod';

export interface FieldIssue {
  field: string;
  reason: string;
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(body)', reason: i.message }));
}

export class ZodPipe<S extends z.ZodTypeAny> implements PipeTransform<unknown, z.infer<S>> {
  constructor(private readonly schema: S) {}

  transform(value: unknown): z.infer<S> {
    const parsed = this.schema.safeParse(value ?? {});
    if (!parsed.success) throw new BadRequestException({ error: 'validation', issues: fieldIssues(parsed.error) });
    return parsed.data;
  }
}
