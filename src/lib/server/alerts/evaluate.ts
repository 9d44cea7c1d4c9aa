/**
 * Alert evaluation (docs/alerts.md), shared by the workers' two triggers: after a poll committed its
 * boards (the ranking rules) and the minute tick (the source rules, and everything held whose time
 * came). Every function takes `now`, so tests drive the clock.
 *
 * One alert per condition: a condition's key (rule + unit or source + indicator + period or day) is
 * unique among the open alerts (alerts_open_condition_unique), so the second poll that sees it raises
 * nothing; once the condition no longer holds its alert is cleared and the key re-arms.
 *
 * The words are written once, in Vietnamese, when the alert is raised (as the boards' sentences):
 * this module runs in the workers, which carry no message catalogue.
 */
import type { PgBoss } from 'pg-boss';
import type { Queryable, Sql } from '#db/client';
import { ALERTS_CHANNEL, type AlertsChanged } from '#contract/notify';
import { conditionKey, isRankingKind, nextDigestAt, quietUntil, type AlertKind, type AlertParams } from '#domain/alerts';
import { bandIndex, bandOf, DEFAULT_BANDS, type Band } from '#domain/bands';
import { periodOf, previousPeriod, sameElapsedPart, today, type Period, type PeriodKind } from '#domain/periods';
import { DEFAULT_SCHEME_KEY } from '#domain/catalogue';
import { inTransaction } from '../jobs/send.ts';
import { scoreScopeOver } from '../ranking/rankings.ts';
import { readTargets } from '../targets.ts';
import { shortfalls } from '#domain/targets';
import { readSourceHealth } from '../sources.ts';
import { DELIVER_ALERT_QUEUE, type DeliverAlertJob } from '../jobs/queues.ts';

interface RuleRow {
  id: number;
  name: string;
  kind: AlertKind;
  scope_unit_id: number | null;
  period_kind: PeriodKind | null;
  params: AlertParams;
  notify_roles: string[];
  notify_user_ids: number[];
  notify_emails: string[];
  in_app: boolean;
  email: boolean;
  webhook_url: string | null;
  digest: boolean;
  digest_at: string;
  quiet_from: string | null;
  quiet_to: string | null;
}

/** A condition that holds now, with its words. */
export interface Condition {
  key: string;
  unitId: number | null;
  unitCode: string | null;
  sourceId: number | null;
  title: string;
  body: string;
  link: string;
}

const vi = (n: number, digits = 2) => new Intl.NumberFormat('vi-VN', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
/** A ratio as the boards show it: "90,1%". */
const viRatio = (r: number) => `${new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(r * 100)}%`;
/** A target as the boards show it: "95%", "95,5%". */
const viTarget = (r: number) => `${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(Math.round(r * 10000) / 100)}%`;
const viDay = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const viTime = (d: Date) => new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric', hour12: false }).format(d);
const KIND_VI: Record<PeriodKind, string> = {
  day: 'ngày', week: 'tuần', month: 'tháng', quarter: 'quý', year: 'năm',
  report_month: 'tháng báo cáo', report_quarter: 'quý báo cáo', report_year: 'năm báo cáo'
};
/** "tháng 12/2026", "ngày 03/12/2026", "tháng báo cáo 15/11/2026–14/12/2026". */
export function periodWords(p: Period): string {
  if (p.kind === 'day') return `ngày ${viDay(p.start)}`;
  if (p.kind === 'month') return `tháng ${p.start.slice(5, 7)}/${p.start.slice(0, 4)}`;
  if (p.kind === 'year') return `năm ${p.start.slice(0, 4)}`;
  return `${KIND_VI[p.kind]} ${viDay(p.start)}–${viDay(p.end)}`;
}

async function enabledRules(sql: Queryable, kinds?: readonly AlertKind[]): Promise<RuleRow[]> {
  const rows = await sql<RuleRow[]>`
    select id, name, kind, scope_unit_id, period_kind, params, notify_roles, notify_user_ids, notify_emails, in_app, email,
           webhook_url, digest, digest_at, quiet_from, quiet_to
    from alert_rules where enabled order by id`;
  return kinds ? rows.filter((r) => kinds.includes(r.kind)) : rows;
}

interface BoardRow {
  unit_id: number;
  scope_unit_id: number;
  code: string;
  name: string;
  rank: number | null;
  previous_rank: number | null;
  total: number | null;
  indicators: Record<string, { ratio: number | null }> | null;
  bands: Band[] | null;
  prev_total: number | null;
  prev_rank: number | null;
  prev_bands: Band[] | null;
  board_size: number;
}

/** The conditions of a ranking rule that hold in the period of its kind containing today. */
export async function rankingConditions(sql: Queryable, rule: RuleRow, now: Date): Promise<Condition[]> {
  if (!rule.period_kind) return [];
  const period = periodOf(rule.period_kind, today(now));
  const prev = previousPeriod(period);
  const rows = await sql<BoardRow[]>`
    select r.unit_id, r.scope_unit_id, u.gso_code as code, u.name, r.rank, r.previous_rank, r.total, r.indicators, sch.bands,
           p.total as prev_total, p.rank as prev_rank, psch.bands as prev_bands,
           (select count(*)::int from rankings b where b.scope_unit_id = r.scope_unit_id and b.period_kind = r.period_kind
              and b.period_start = r.period_start and b.scheme_key = r.scheme_key and b.rank is not null) as board_size
    from rankings r
    join units u on u.id = r.unit_id
    left join indicator_schemes sch on sch.id = r.scheme_id
    left join rankings p on p.scope_unit_id = r.scope_unit_id and p.unit_id = r.unit_id and p.period_kind = r.period_kind
      and p.period_start = ${prev.start} and p.scheme_key = r.scheme_key
    left join indicator_schemes psch on psch.id = p.scheme_id
    where r.scheme_key = ${DEFAULT_SCHEME_KEY} and r.period_kind = ${period.kind} and r.period_start = ${period.start}
      and (${rule.scope_unit_id}::int is null
           or exists (select 1 from unit_closure c where c.ancestor_id = ${rule.scope_unit_id}::int and c.descendant_id = r.unit_id))
    order by u.gso_code`;
  // The operations scheme's names, as its boards show them (another scheme may name the same key otherwise: the 766 group's "Tiến độ giải quyết").
  const names = new Map((await sql<{ key: string; name_vi: string }[]>`
    select distinct on (i.key) i.key, i.name_vi from indicators i join indicator_schemes s on s.id = i.scheme_id
    where s.key = ${DEFAULT_SCHEME_KEY} order by i.key, s.active desc, i.id desc`).map((r) => [r.key, r.name_vi]));
  const link = (code: string) => `/units/${encodeURIComponent(code)}?period=${period.kind}&date=${period.start}`;
  // A period in progress is compared with the same days of the previous one, as the screens compare it
  // (readBoard): its rank and total then come from that board, scored as the workers score one.
  const same = sameElapsedPart(period, today(now));
  let compared = `${periodWords(period)}, so với ${periodWords(prev)}`;
  if (same && (rule.kind === 'rank_drop' || rule.kind === 'band_drop')) {
    compared = `${periodWords(period)} đến ${viDay(today(now))}, so với cùng kỳ ${viDay(same.start)}–${viDay(same.end)}`;
    const before = new Map<string, { rank: number | null; total: number | null }>();
    for (const scope of new Set(rows.map((r) => r.scope_unit_id))) {
      for (const b of await scoreScopeOver(sql, DEFAULT_SCHEME_KEY, scope, { kind: period.kind, ...same })) before.set(`${scope}|${b.unitId}`, b);
    }
    for (const r of rows) {
      const b = before.get(`${r.scope_unit_id}|${r.unit_id}`);
      r.previous_rank = r.prev_rank = b?.rank ?? null;
      r.prev_total = b?.total ?? null;
      r.prev_bands = r.bands;
    }
  }
  if (rule.kind === 'below_threshold' && rule.params.compare === 'target') return targetConditions(sql, rule, period, rows, names, link);
  const out: Condition[] = [];
  for (const r of rows) {
    const base = { unitId: r.unit_id, unitCode: r.code, sourceId: null, link: link(r.code) };
    if (rule.kind === 'rank_drop') {
      const places = rule.params.places ?? 1;
      if (r.rank === null || r.previous_rank === null || r.rank - r.previous_rank < places) continue;
      out.push({
        ...base, key: conditionKey(rule.id, { unitId: r.unit_id, period }),
        title: `${r.name} tụt ${r.rank - r.previous_rank} bậc`,
        body: `${r.name} (${r.code}) từ hạng ${r.previous_rank} xuống hạng ${r.rank} trên ${r.board_size} đơn vị — ${compared} (quy tắc: tụt từ ${places} bậc).`
      });
    } else if (rule.kind === 'band_drop') {
      if (r.rank === null || r.total === null || r.prev_total === null || r.prev_rank === null) continue;
      const bands = r.bands ?? DEFAULT_BANDS;
      const prevBands = r.prev_bands ?? bands;
      const now_ = bandOf(r.total, bands);
      const before = bandOf(r.prev_total, prevBands);
      const i = bandIndex(now_, bands);
      const j = bandIndex(before, prevBands);
      if (i === null || j === null || i <= j) continue;
      out.push({
        ...base, key: conditionKey(rule.id, { unitId: r.unit_id, period }),
        title: `${r.name} xuống xếp loại ${now_}`,
        body: `${r.name} (${r.code}) từ xếp loại ${before} (${vi(r.prev_total)} điểm) xuống ${now_} (${vi(r.total)} điểm) — ${compared}.`
      });
    } else if (rule.kind === 'below_threshold') {
      const t = rule.params.threshold ?? 0;
      const key = rule.params.indicator ?? null;
      if (key === null) {
        if (r.total === null || r.total >= t) continue;
        out.push({
          ...base, key: conditionKey(rule.id, { unitId: r.unit_id, indicator: null, period }),
          title: `${r.name}: tổng điểm dưới ${vi(t)} điểm`,
          body: `Tổng điểm của ${r.name} (${r.code}) là ${vi(r.total)} điểm, dưới ngưỡng ${vi(t)} điểm — ${periodWords(period)}.`
        });
      } else {
        const ratio = r.indicators?.[key]?.ratio ?? null;
        if (ratio === null || ratio * 100 >= t) continue;
        const ind = names.get(key) ?? key;
        out.push({
          ...base, link: `/units/${encodeURIComponent(r.code)}/indicators/${encodeURIComponent(key)}?period=${period.kind}&date=${period.start}`,
          key: conditionKey(rule.id, { unitId: r.unit_id, indicator: key, period }),
          title: `${r.name}: ${ind} dưới ${vi(t, 1)} %`,
          body: `${ind} của ${r.name} (${r.code}) là ${vi(ratio * 100, 1)} %, dưới ngưỡng ${vi(t, 1)} % — ${periodWords(period)}.`
        });
      }
    }
  }
  return out;
}

/**
 * "Below its target": one condition per (unit, indicator, period) whose ratio is strictly under the
 * target that applies to it (src/lib/server/targets.ts and #domain/targets' precedence, as the
 * boards mark it); no indicator on the rule: every indicator some target names. The link is the
 * unit's page, which reads actual against target.
 */
async function targetConditions(sql: Queryable, rule: RuleRow, period: Period, rows: BoardRow[], names: Map<string, string>, link: (code: string) => string): Promise<Condition[]> {
  const rules = await readTargets(sql, { scheme: DEFAULT_SCHEME_KEY, period });
  if (!rules.length) return [];
  const byUnit = new Map(rows.map((r) => [r.unit_id, r]));
  const found = shortfalls(rows.map((r) => ({ unitId: r.unit_id, indicators: r.indicators })), rules, rule.params.indicator ? [rule.params.indicator] : null, period);
  return found.map((f) => {
    const r = byUnit.get(f.unitId)!;
    const ind = names.get(f.indicatorKey) ?? f.indicatorKey;
    const whose = f.rule.unitId !== null ? 'chỉ tiêu riêng của đơn vị' : 'chỉ tiêu chung';
    const gap = new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format((f.rule.minRatio - f.ratio) * 100);
    return {
      unitId: r.unit_id, unitCode: r.code, sourceId: null, link: link(r.code),
      key: conditionKey(rule.id, { unitId: r.unit_id, indicator: f.indicatorKey, period }),
      title: `${r.name}: ${ind} ${viRatio(f.ratio)} dưới chỉ tiêu ${viTarget(f.rule.minRatio)}`,
      body: `${ind} của ${r.name} (${r.code}) là ${viRatio(f.ratio)}, dưới chỉ tiêu ${viTarget(f.rule.minRatio)} (${whose}), thiếu ${gap} điểm % — ${periodWords(period)}.`
    };
  });
}

/** The conditions of a source rule that hold at `now` (a missed daily deadline today, or stale). */
export async function sourceConditions(sql: Queryable, rule: RuleRow, now: Date): Promise<Condition[]> {
  const sources = await sql<{ id: number; key: string; name: string; scope_unit_id: number | null; scope_code: string | null; in_scope: boolean }[]>`
    select s.id, s.key, s.name, s.scope_unit_id, su.gso_code as scope_code,
           (${rule.scope_unit_id}::int is null
            or exists (select 1 from unit_closure c where c.ancestor_id = ${rule.scope_unit_id}::int and c.descendant_id = s.scope_unit_id)) as in_scope
    from data_sources s left join units su on su.id = s.scope_unit_id
    where s.enabled and s.kind <> 'upload'`;
  const health = new Map((await readSourceHealth(sql, now)).map((h) => [h.key, h]));
  const day = today(now);
  const out: Condition[] = [];
  for (const s of sources) {
    if (!s.in_scope) continue;
    if (rule.params.sourceId && rule.params.sourceId !== s.id) continue;
    const h = health.get(s.key);
    if (!h) continue;
    const last = h.lastSuccessAt ? viTime(new Date(h.lastSuccessAt)) : 'chưa có';
    const error = h.lastError ? ` Lỗi gần nhất: ${h.lastError}.` : '';
    const base = { unitId: s.scope_unit_id, unitCode: s.scope_code, sourceId: s.id, link: `/admin/sources/${encodeURIComponent(s.key)}` };
    if (rule.kind === 'deadline_missed' && h.missedDeadline) {
      out.push({
        ...base, key: conditionKey(rule.id, { sourceId: s.id, day }),
        title: `${s.name} trễ hạn ${h.dailyDeadline} ngày ${viDay(day)}`,
        body: `Nguồn ${s.name} (${s.key}) chưa có lần lấy số liệu thành công nào trong ngày ${viDay(day)} khi đã quá hạn ${h.dailyDeadline}. Lần thành công gần nhất: ${last}.${error}`
      });
    } else if (rule.kind === 'source_stale' && h.stale) {
      out.push({
        ...base, key: conditionKey(rule.id, { sourceId: s.id }),
        title: `Số liệu của ${s.name} đã cũ`,
        body: `Nguồn ${s.name} (${s.key}) không có số liệu mới quá ${Math.round(h.staleAfterSeconds / 60)} phút (ngưỡng số liệu cũ). Lần thành công gần nhất: ${last}.${error}`
      });
    }
  }
  return out;
}

export interface EvaluateOptions {
  now?: Date;
  /** Where delivery jobs go; without it deliveries are recorded as queued and nothing sends them (a script). */
  boss?: PgBoss;
  /** Only these kinds (a poll: the ranking kinds). */
  kinds?: readonly AlertKind[];
}

/** Evaluates every enabled rule (of `kinds`): raises the new conditions, clears those gone. */
export async function evaluateAlerts(sql: Sql, options: EvaluateOptions = {}): Promise<{ raised: number[]; cleared: number }> {
  const now = options.now ?? new Date();
  const raised: number[] = [];
  let cleared = 0;
  for (const rule of await enabledRules(sql, options.kinds)) {
    const holding = isRankingKind(rule.kind) ? await rankingConditions(sql, rule, now) : await sourceConditions(sql, rule, now);
    const r = await sql.begin(async (tx) => {
      const ids: number[] = [];
      const queued: QueuedDelivery[] = [];
      for (const c of holding) {
        const raisedNow = await raise(tx, rule, c, now);
        if (raisedNow === null) continue;
        ids.push(raisedNow.alertId);
        queued.push(...raisedNow.queued);
      }
      if (options.boss) await queueGathered(tx, options.boss, queued);
      const keys = holding.map((c) => c.key);
      const gone = await tx`
        update alerts set cleared_at = ${now.toISOString()} where rule_id = ${rule.id} and cleared_at is null and not (condition_key = any(${keys}::text[]))
        returning id`;
      return { ids, cleared: gone.length };
    });
    raised.push(...r.ids);
    cleared += r.cleared;
  }
  return { raised, cleared };
}

interface QueuedDelivery {
  id: number;
  channel: 'email' | 'webhook';
  to: string;
}

/**
 * The delivery jobs of what one evaluation of one rule raised to be sent now: one job per channel
 * and recipient, so several alerts raised together (the first evaluation of "below its target"
 * finds most units of a city below 95 % on time) reach a person as one mail (one webhook call)
 * listing them all — the digest's form — and a single alert as its own mail, as before.
 */
async function queueGathered(tx: Queryable, boss: PgBoss, queued: readonly QueuedDelivery[]): Promise<void> {
  const groups = new Map<string, number[]>();
  for (const d of queued) groups.set(`${d.channel}|${d.to}`, [...(groups.get(`${d.channel}|${d.to}`) ?? []), d.id]);
  for (const ids of groups.values()) {
    await boss.send(DELIVER_ALERT_QUEUE, { deliveryIds: ids.sort((a, b) => a - b) } satisfies DeliverAlertJob, { db: inTransaction(tx) });
  }
}

/** Raises one condition (null when already open): its alert, the bell of each person told, its deliveries (those to send now returned, for queueGathered). */
async function raise(tx: Queryable, rule: RuleRow, c: Condition, now: Date): Promise<{ alertId: number; queued: QueuedDelivery[] } | null> {
  const [row] = await tx<{ id: number }[]>`
    insert into alerts (rule_id, condition_key, kind, unit_id, source_id, title, body, link, raised_at)
    values (${rule.id}, ${c.key}, ${rule.kind}, ${c.unitId}, ${c.sourceId}, ${c.title}, ${c.body}, ${c.link}, ${now.toISOString()})
    on conflict (condition_key) where cleared_at is null do nothing
    returning id`;
  if (!row) return null;
  const alertId = row.id;
  // The people the rule tells: its roles and users, an officer only about a unit in their own unit's
  // subtree (as access.ts reads detail: through unit_rollup, by codes), with the address each set for alert mail.
  const people = await tx<{ id: number; email: string | null }[]>`
    select u.id, c.email from users u left join units ou on ou.id = u.unit_id left join alert_contacts c on c.user_id = u.id
    where not u.disabled and (u.role = any(${rule.notify_roles}::text[]) or u.id = any(${rule.notify_user_ids}::int[]))
      and (u.role <> 'officer' or (${c.unitCode}::text is not null and exists (
        select 1 from unit_rollup r join units a on a.id = r.ancestor_id join units d on d.id = r.descendant_id
        where a.gso_code = ou.gso_code and d.gso_code = ${c.unitCode}::text)))
    order by u.id`;
  if (rule.in_app && people.length) {
    await tx`
      insert into alert_notifications (alert_id, user_id, created_at)
      select ${alertId}, unnest(${people.map((p) => p.id)}::int[]), ${now.toISOString()}
      on conflict do nothing`;
    const payload: AlertsChanged = { userIds: people.map((p) => p.id) };
    await tx`select pg_notify(${ALERTS_CHANNEL}, ${JSON.stringify(payload)})`;
  }
  const addresses = rule.email ? [...new Set([...rule.notify_emails, ...people.flatMap((p) => (p.email ? [p.email] : []))].map((e) => e.toLowerCase()))] : [];
  const recipients: { channel: 'email' | 'webhook'; to: string }[] = [
    ...addresses.map((to) => ({ channel: 'email' as const, to })),
    ...(rule.webhook_url ? [{ channel: 'webhook' as const, to: rule.webhook_url }] : [])
  ];
  const quiet = { from: rule.quiet_from, to: rule.quiet_to };
  const releaseAt = rule.digest ? nextDigestAt(now, rule.digest_at, quiet) : quietUntil(now, quiet);
  const held = rule.digest || releaseAt.getTime() > now.getTime();
  const queued: QueuedDelivery[] = [];
  for (const r of recipients) {
    const [d] = await tx<{ id: number }[]>`
      insert into alert_deliveries (alert_id, channel, recipient, status, digest, not_before, created_at)
      values (${alertId}, ${r.channel}, ${r.to}, ${held ? 'held' : 'queued'}, ${rule.digest}, ${held ? releaseAt.toISOString() : null}, ${now.toISOString()})
      returning id`;
    if (!held) queued.push({ id: d!.id, ...r });
  }
  return { alertId, queued };
}

/**
 * Deliveries whose time came (quiet hours ended, the digest's hour): each held one alone is queued
 * as its own job; a digest's are queued together, one job (one mail, one webhook call) per rule,
 * channel and recipient.
 */
export async function releaseDue(sql: Sql, boss: PgBoss, now: Date = new Date()): Promise<number> {
  return sql.begin(async (tx) => {
    const due = await tx<{ id: number; digest: boolean; rule_id: number; channel: string; recipient: string }[]>`
      update alert_deliveries d set status = 'queued'
      from alerts a
      where a.id = d.alert_id and d.id in (
        select id from alert_deliveries where status = 'held' and not_before <= ${now.toISOString()} for update skip locked)
      returning d.id, d.digest, a.rule_id, d.channel, d.recipient`;
    const groups = new Map<string, number[]>();
    for (const d of due) {
      const key = d.digest ? `${d.rule_id}|${d.channel}|${d.recipient}` : `one|${d.id}`;
      groups.set(key, [...(groups.get(key) ?? []), d.id]);
    }
    for (const ids of groups.values()) {
      await boss.send(DELIVER_ALERT_QUEUE, { deliveryIds: ids.sort((a, b) => a - b) } satisfies DeliverAlertJob, { db: inTransaction(tx) });
    }
    return groups.size;
  });
}
