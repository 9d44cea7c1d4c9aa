/** The one-stop-shop system's API, in its own words (zod of *their* payload). */
import { z } from 'zod';

const count = z.number({ error: 'must be a number' }).int('must be a whole number').nonnegative('must not be negative');

export const dossierRowSchema = z
  .object({
    maDonVi: z.string({ error: 'maDonVi (unit code) is missing' }).regex(/^\d{5}$/, 'maDonVi must be a 5-digit commune code'),
    ngay: z.string({ error: 'ngay (date) is missing' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'ngay must be YYYY-MM-DD'),
    tiepNhan: count,
    tiepNhanTrucTuyen: count,
    daGiaiQuyet: count,
    giaiQuyetDungHan: count,
    dangGiaiQuyetTrongHan: count,
    dangGiaiQuyetQuaHan: count
  })
  .superRefine((r, ctx) => {
    if (r.tiepNhanTrucTuyen > r.tiepNhan) ctx.addIssue({ code: 'custom', message: 'received online is larger than received' });
    if (r.giaiQuyetDungHan > r.daGiaiQuyet) ctx.addIssue({ code: 'custom', message: 'resolved on time is larger than resolved' });
  });

export const dossierEnvelopeSchema = z.object({
  maHeThong: z.string(),
  thoiDiem: z.string(),
  duLieu: z.array(z.unknown(), { error: 'duLieu (the rows) must be a list' })
});
