/** Pages of results and one window's full report, from the repository's rows. */
import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { RootCauseSummary } from '@vigil/contracts';
import { ANOMALIES_REPOSITORY } from '../api.tokens';
import { encodeCursor, InvalidCursorError } from './anomaly-query';
import type { AnomalyPage, AnomalyQuery, WindowDetail } from './anomaly.schemas';
import type { AnomaliesRepository } from './anomalies.repository';
import { fromRow, shapFromRow } from './result-rows';

@Injectable()
export class AnomaliesService {
  constructor(@Inject(ANOMALIES_REPOSITORY) private readonly repo: AnomaliesRepository) {}

  async page(q: AnomalyQuery): Promise<AnomalyPage> {
    let page;
    try {
      page = await this.repo.page(q);
    } catch (err) {
      if (err instanceof InvalidCursorError) throw new BadRequestException({ error: 'validation', issues: [{ field: 'cursor', reason: err.message }] });
      throw err;
    }
    return { items: page.rows.map(fromRow), nextCursor: page.next ? encodeCursor(page.next) : null };
  }

  async window(deviceId: string, windowStartMs: number): Promise<WindowDetail> {
    const [row, explanations] = await Promise.all([this.repo.window(deviceId, windowStartMs), this.repo.shap(deviceId, windowStartMs)]);
    if (!row) throw new NotFoundException({ error: 'not_found', message: `no result for ${deviceId} at window ${windowStartMs}` });
    const report = row.root_cause_json ? (JSON.parse(row.root_cause_json) as RootCauseSummary) : null;
    const rootCause = report && {
      summary: report.summary,
      topChannels: report.topChannels,
      topTimeSteps: report.topTimeSteps,
      topLatents: report.topLatents,
      modalityShares: report.modalityShares,
    };
    return { ...fromRow(row), rootCause, shap: explanations.length > 0 ? explanations.map(shapFromRow) : null };
  }
}
