/** Reading the audit log: newest first, a page at a time, optionally one kind of entity. */
import { count, desc, eq } from 'drizzle-orm';
import type { Queryable as Sql } from '#db/client';
import { isoTimestamp, orm } from '#db/client';
import { auditLog } from '#db/schema/auth';
import { ZONE } from '#domain/periods';

export const AUDIT_ENTITIES = ['user', 'display_token', 'scheme', 'source', 'unit', 'upload', 'setting', 'alert_rule', 'briefing_schedule'] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];
export const ENTITY_NAMES: Record<AuditEntity, string> = {
  user: 'Người dùng',
  display_token: 'Màn hình trình chiếu',
  scheme: 'Bộ chỉ số',
  source: 'Nguồn dữ liệu',
  unit: 'Đơn vị hành chính',
  upload: 'Tệp tải lên',
  setting: 'Thiết lập',
  alert_rule: 'Quy tắc cảnh báo',
  briefing_schedule: 'Lịch gửi báo cáo giao ban'
};
/** Words for the actions these screens record; any other action is shown as recorded. */
export const ACTION_NAMES: Record<string, string> = {
  create: 'Tạo mới',
  update: 'Sửa',
  delete: 'Xóa',
  disable: 'Khóa',
  enable: 'Mở khóa',
  reset_password: 'Đặt lại mật khẩu',
  revoke: 'Thu hồi',
  create_version: 'Tạo phiên bản mới',
  test_connection: 'Thử kết nối',
  upload: 'Tải tệp lên',
  approve_upload: 'Duyệt tệp tải lên',
  reject_upload: 'Từ chối tệp tải lên',
  send_now: 'Gửi ngay'
};

export const AUDIT_PAGE_SIZE = 50;

export interface AuditQuery {
  page: number;
  entity: AuditEntity | null;
}

/** `?page=N&entity=…` → a query; anything unreadable falls back to page 1, every entity. */
export function auditQueryOf(params: URLSearchParams): AuditQuery {
  const page = Number(params.get('page') ?? '1');
  const entity = params.get('entity');
  return {
    page: Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1,
    entity: (AUDIT_ENTITIES as readonly string[]).includes(entity ?? '') ? (entity as AuditEntity) : null
  };
}

export interface AuditRow {
  id: number;
  /** ISO 8601 UTC */
  at: string;
  /** The same instant in words, vi-VN, Hà Nội time. */
  atText: string;
  actorName: string;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
}

export interface AuditPage {
  rows: AuditRow[];
  page: number;
  pageCount: number;
  total: number;
  entity: AuditEntity | null;
}

const when = new Intl.DateTimeFormat('vi-VN', {
  timeZone: ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false
});
export const formatAuditTime = (iso: string) => when.format(new Date(iso));

export async function readAuditLog(sql: Sql, query: Partial<AuditQuery> = {}): Promise<AuditPage> {
  const entity = query.entity ?? null;
  const page = query.page && query.page >= 1 ? Math.floor(query.page) : 1;
  const db = orm(sql);
  const filter = entity === null ? undefined : eq(auditLog.entity, entity);
  const [counted] = await db.select({ total: count() }).from(auditLog).where(filter);
  const total = counted?.total ?? 0;
  const a = auditLog;
  const rows = await db
    .select({ id: a.id, at: a.at, actorName: a.actorName, action: a.action, entity: a.entity, entityId: a.entityId, before: a.before, after: a.after, ip: a.ip })
    .from(auditLog)
    .where(filter)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(AUDIT_PAGE_SIZE)
    .offset((page - 1) * AUDIT_PAGE_SIZE);
  return {
    rows: rows.map((r) => {
      const at = isoTimestamp(r.at)!;
      return { ...r, at, atText: formatAuditTime(at) };
    }),
    page,
    pageCount: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    total,
    entity
  };
}
