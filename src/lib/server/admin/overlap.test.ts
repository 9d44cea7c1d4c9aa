import { describe, expect, it } from 'vitest';
import { TASK_METRICS } from '#domain/catalogue';
import { familyMetrics, metricsOfSource, overlapMessage, WHOLE_CITY } from './overlap.ts';

describe('the metrics a source reports', () => {
  it('are those its JSON mapping declares, else its family’s', () => {
    expect(metricsOfSource({ family: 'dossier', produces: 'samples', mapping: { expression: 'x', metrics: ['dossier.received', 'dossier.resolved'] } }))
      .toEqual(['dossier.received', 'dossier.resolved']);
    expect(metricsOfSource({ family: 'eid', produces: 'samples', mapping: { expression: 'x', metrics: [] } })).toEqual(['eid.eligible', 'eid.collected_level2', 'eid.activated']);
    expect(metricsOfSource({ family: 'eid', produces: 'samples', mapping: { expression: 'x' } })).toEqual(familyMetrics('eid'));
  });

  it('are a table mapping’s column targets, else (the upload template) its family’s', () => {
    const columns = { so_doi_tuong: 'payment.welfare_recipients', so_nhan: 'payment.welfare_cashless' };
    expect(metricsOfSource({ family: 'payment', produces: 'samples', mapping: { unitColumn: 'u', dateColumn: 'd', columns } }))
      .toEqual(['payment.welfare_recipients', 'payment.welfare_cashless']);
    expect(metricsOfSource({ family: 'dossier', produces: 'samples', mapping: { unitColumn: 'unit_code', dateColumn: 'date', columns: {} } })).toHaveLength(9);
  });

  it('of a task list are the task metrics', () => {
    expect(metricsOfSource({ family: 'task', produces: 'tasks', mapping: { expression: 'x' } })).toEqual([...TASK_METRICS]);
    expect(metricsOfSource({ family: 'task', produces: 'samples', mapping: { unitColumn: 'u', dateColumn: 'd', taskColumns: {} } })).toEqual([...TASK_METRICS]);
  });
});

describe('the refusal', () => {
  it('names the other source, the units, the metrics, and how to fix it', () => {
    const text = overlapMessage({ sourceKey: 'motcua', sourceName: 'Một cửa', units: 'Huyện Thanh Oai', metrics: ['Hồ sơ tiếp nhận', 'Đã giải quyết'] }, 100);
    expect(text).toBe(
      'Trùng với nguồn đang bật "Một cửa" (motcua), cùng mức ưu tiên 100: cả hai cùng báo số liệu cho Huyện Thanh Oai (và các đơn vị trực thuộc) ' +
        'về các chỉ số: Hồ sơ tiếp nhận, Đã giải quyết. Hai nguồn cùng mức ưu tiên thì số liệu bị cộng dồn. Cách sửa: đặt cho mỗi nguồn một mức ưu tiên ' +
        'khác nhau (số liệu của nguồn có mức ưu tiên cao hơn được tính), hoặc thu hẹp đơn vị hay chỉ số của một trong hai nguồn.'
    );
    expect(overlapMessage({ sourceKey: 'a', sourceName: 'A', units: WHOLE_CITY, metrics: ['X'] }, 5)).toContain('cho toàn thành phố về các chỉ số: X.');
  });
});
