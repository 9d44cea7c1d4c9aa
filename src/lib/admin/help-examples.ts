/**
 * The worked examples of the source form's help (SourceHelp.svelte): what a vendor answers and what
 * the administrator types in the mapping field. Kept here so a test runs them through the engine
 * (help-examples.test.ts): the help never shows an example the engine would refuse.
 */

/** A one-stop-shop system: communes nested in districts, dates dd/MM/yyyy, numbers "1.234". */
export const JSON_EXAMPLE_BODY = `{
  "duLieu": [
    { "quanHuyen": { "ma": "278", "xaPhuong": [
      { "ma": "10114", "ngay": "20/11/2026",
        "tiepNhan": "1.234", "daGiaiQuyet": "1.000",
        "dungHan": "950" }
    ] } }
  ]
}`;

/** As typed in the mapping field: the `each:` line, the expression, the `metrics:` line. */
export const JSON_EXAMPLE_MAPPING = `each: duLieu.quanHuyen.xaPhuong
{
  "unitCode": ma,
  "date": $date(ngay, "dd/MM/yyyy"),
  "values": {
    "dossier.received": $number(tiepNhan),
    "dossier.resolved": $number(daGiaiQuyet),
    "dossier.resolved_on_time": $number(dungHan)
  }
}
metrics: dossier.received, dossier.resolved, dossier.resolved_on_time`;

/** The request of that example: POST with a JSON body of dd/MM/yyyy dates and the page number. */
export const JSON_EXAMPLE_REQUEST_BODY = '{"tuNgay": "{from:dd/MM/yyyy}", "denNgay": "{to:dd/MM/yyyy}", "trang": {page}}';

export const CSV_EXAMPLE_BODY = `ma_don_vi;ngay;Hồ sơ tiếp nhận;Đã giải quyết
10114;20/11/2026;1.234;1.000`;

export const CSV_EXAMPLE_MAPPING = `{
  "unitColumn": "ma_don_vi",
  "dateColumn": "ngay",
  "dateFormat": "dd/MM/yyyy",
  "delimiter": ";",
  "columns": {
    "Hồ sơ tiếp nhận": "dossier.received",
    "Đã giải quyết": "dossier.resolved"
  }
}`;

/** What either example gives (number locale "vi"). */
export const EXAMPLE_RECORD = `[
  { "unitCode": "10114",
    "date": "2026-11-20",
    "values": { "dossier.received": 1234,
                "dossier.resolved": 1000 } }
]`;
