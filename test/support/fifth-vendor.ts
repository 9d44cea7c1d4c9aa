/**
 * The fifth vendor (workers/simulator/mot-cua-api.ts) as an administrator connects it: what goes in
 * each field of the source form, and the same as stored (data_sources columns). Shared by the
 * integration test of the backfill and the end-to-end test that types it into the screens.
 */
import { DEMO_KEYS } from '#server/seed/demo-keys';
import type { RequestSpec } from '#db/schema/sources';
import { ONE_STOP_FIELDS, ONE_STOP_PATH } from '../../workers/simulator/mot-cua-api.ts';

export const FIFTH_VENDOR_PATH = ONE_STOP_PATH;
export const FIFTH_VENDOR_CREDENTIALS = { kind: 'basic', ...DEMO_KEYS.motCua } as const;

/** POST, a JSON body of dd/MM/yyyy dates and the page number, pages from 1 until an empty one. */
export const FIFTH_VENDOR_REQUEST: RequestSpec = {
  method: 'POST',
  headers: {},
  body: '{"tuNgay":"{from:dd/MM/yyyy}","denNgay":"{to:dd/MM/yyyy}","trang":{page}}',
  bodyType: 'json',
  pagination: { kind: 'page', start: 1, maxPages: 20 }
};

const EXPRESSION = `{
  "unitCode": maXa,
  "date": $date(ngay, "dd/MM/yyyy"),
  "values": {
    "dossier.received": $number(tiepNhan),
    "dossier.received_online": $number(tiepNhanTrucTuyen),
    "dossier.resolved": $number(daGiaiQuyet),
    "dossier.resolved_on_time": $number(dungHan),
    "dossier.pending_on_time": $number(conHanXuLy),
    "dossier.pending_overdue": $number(quaHanXuLy),
    "dossier.digitized": $number(daSoHoa),
    "dossier.with_fee": $number(coPhiLePhi),
    "dossier.paid_online": $number(thanhToanTrucTuyen)
  }
}`;

/** The mapping as stored (number locale 'vi' on the source: "1.234" is 1234). */
export const FIFTH_VENDOR_MAPPING = { each: 'duLieu.dsHuyen.dsXa', expression: EXPRESSION, metrics: Object.values(ONE_STOP_FIELDS) as string[] };

/** The mapping as typed in the form's mapping field (the `each:` and `metrics:` lines beside the expression). */
export const FIFTH_VENDOR_MAPPING_TEXT = `each: duLieu.dsHuyen.dsXa\n${EXPRESSION}\nmetrics: ${FIFTH_VENDOR_MAPPING.metrics.join(', ')}`;
