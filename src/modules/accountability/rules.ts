/**
 * The accountability rules, pure (no I/O): how progress is computed and rolled up, how an
 * indicator measures up against its target, when an item is late, what a reporting period
 * means, and which transitions a matrix row may take. Progress is always computed from
 * published figures, never typed in for a commitment or an indicator.
 */

export const PLAN_KINDS = ['pac', 'ogp', 'thematic'] as const;
export type PlanKind = (typeof PLAN_KINDS)[number];
export const PLAN_STATUSES = ['draft', 'in_progress', 'completed'] as const;

export const ACTION_STATUSES = ['planned', 'in_progress', 'done', 'delayed', 'cancelled'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const OGP_VALUES = ['transparency', 'participation', 'accountability', 'technology'] as const;
export type OgpValue = (typeof OGP_VALUES)[number];

export const COMPLETION_LEVELS = ['not_started', 'limited', 'substantial', 'completed'] as const;
export type CompletionLevel = (typeof COMPLETION_LEVELS)[number];

export const INDICATOR_KINDS = ['result', 'impact'] as const;
export const DIRECTIONS = ['up', 'down'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual', 'once'] as const;

export const INSTITUTION_ROLES = ['lead', 'support', 'partner'] as const;
export const VISIBILITIES = ['public', 'internal'] as const;
export const DECISION_OUTCOMES = ['consensus', 'no_consensus'] as const;

/** A matrix row's life: the department fills it, the OGP team validates or returns it, publication freezes it. */
export const ROW_STATES = ['pending', 'submitted', 'returned', 'validated', 'published'] as const;
export type RowState = (typeof ROW_STATES)[number];
export type RowEvent = 'save' | 'submit' | 'return' | 'validate' | 'publish';

const TRANSITIONS: Record<RowEvent, { from: readonly RowState[]; to: RowState | null }> = {
  save: { from: ['pending', 'returned'], to: null }, // keeps the state
  submit: { from: ['pending', 'returned'], to: 'submitted' },
  return: { from: ['submitted', 'validated'], to: 'returned' },
  validate: { from: ['submitted'], to: 'validated' },
  publish: { from: ['validated'], to: 'published' },
};

/** The state a row moves to on an event, or null when the event is not allowed in its state. */
export function transition(state: RowState, event: RowEvent): RowState | null {
  const t = TRANSITIONS[event];
  if (!t.from.includes(state)) return null;
  return t.to ?? state;
}

/** Rows a department may still edit. */
export const editableByDepartment = (state: string) => state === 'pending' || state === 'returned';

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** The progress an action's figure counts for: a done action is 100 %, whatever was typed. */
export function actionProgress(status: string, progress: number | null | undefined): number {
  if (status === 'done') return 100;
  return clamp(Number(progress ?? 0) || 0, 0, 100);
}

/**
 * A leaf commitment's progress: the mean of its actions' progress, cancelled actions left out.
 * Null when it has no action that counts (nothing to measure yet).
 */
export function leafProgress(actions: { status: string; progress: number | null }[]): number | null {
  const counted = actions.filter((a) => a.status !== 'cancelled');
  if (counted.length === 0) return null;
  return counted.reduce((s, a) => s + actionProgress(a.status, a.progress), 0) / counted.length;
}

/**
 * Combines the progress of siblings: weighted by their weights when every sibling that has a
 * progress also has a positive weight, else a plain average. Siblings with no progress (null)
 * are left out. Null when none has a progress.
 */
export function combine(children: { progress: number | null; weight: number | null }[]): number | null {
  const known = children.filter((c): c is { progress: number; weight: number | null } => c.progress !== null);
  if (known.length === 0) return null;
  const weighted = known.every((c) => c.weight !== null && c.weight > 0);
  if (weighted) {
    const total = known.reduce((s, c) => s + (c.weight as number), 0);
    return known.reduce((s, c) => s + c.progress * (c.weight as number), 0) / total;
  }
  return known.reduce((s, c) => s + c.progress, 0) / known.length;
}

export interface TreeNode { id: number; parentId: number | null; weight: number | null }

/**
 * Progress of every node of a commitment tree (any depth). A node with children takes the
 * combination of its children; its own actions, if it has any, count as one more child with no
 * weight. A node without children takes its own leaf progress.
 */
export function rollUp(nodes: TreeNode[], leaf: (id: number) => number | null): Map<number, number | null> {
  const children = new Map<number | null, TreeNode[]>();
  for (const n of nodes) {
    const list = children.get(n.parentId) ?? [];
    list.push(n);
    children.set(n.parentId, list);
  }
  const out = new Map<number, number | null>();
  const visit = (n: TreeNode, depth: number): number | null => {
    if (depth > 64) throw new Error('commitment tree too deep or cyclic');
    const kids = children.get(n.id) ?? [];
    let p: number | null;
    if (kids.length === 0) p = leaf(n.id);
    else {
      const parts = kids.map((k) => ({ progress: visit(k, depth + 1), weight: k.weight }));
      const own = leaf(n.id);
      if (own !== null) parts.push({ progress: own, weight: null });
      p = combine(parts);
    }
    out.set(n.id, p);
    return p;
  };
  const ids = new Set(nodes.map((n) => n.id));
  for (const n of nodes) if (n.parentId === null || !ids.has(n.parentId)) visit(n, 0);
  return out;
}

/** The progress of a whole plan: its top-level commitments (axes) combined like siblings. */
export function planProgress(nodes: TreeNode[], progress: Map<number, number | null>): number | null {
  const ids = new Set(nodes.map((n) => n.id));
  return combine(nodes.filter((n) => n.parentId === null || !ids.has(n.parentId)).map((n) => ({ progress: progress.get(n.id) ?? null, weight: n.weight })));
}

/** The OGP completion level a progress corresponds to. */
export function completionLevel(progress: number | null): CompletionLevel {
  if (progress === null || progress <= 0) return 'not_started';
  if (progress >= 100) return 'completed';
  return progress >= 50 ? 'substantial' : 'limited';
}

export interface IndicatorFacts {
  direction: string;
  baseline: number | null;
  target: number | null;
  latest: number | null;
}

export interface IndicatorStatus {
  /** Share of the way from baseline to target, 0–100 (clamped); null when it cannot be computed. */
  progress: number | null;
  /** The target is reached (in the good direction). */
  met: boolean | null;
  /** The latest value compared with the baseline, read in the good direction. */
  trend: 'improved' | 'unchanged' | 'worsened' | null;
}

/**
 * How far an indicator has come: (latest − baseline) / (target − baseline), in the indicator's
 * direction ("up" or "down" is good). Without a latest value, or without both a baseline and a
 * target, progress is null.
 */
export function indicatorStatus(f: IndicatorFacts): IndicatorStatus {
  const sign = f.direction === 'down' ? -1 : 1;
  if (f.latest === null) return { progress: null, met: null, trend: null };
  const met = f.target === null ? null : sign * (f.latest - f.target) >= 0;
  const trend = f.baseline === null ? null : sign * (f.latest - f.baseline) > 0 ? 'improved' : f.latest === f.baseline ? 'unchanged' : 'worsened';
  if (f.baseline === null || f.target === null) return { progress: null, met, trend };
  if (f.target === f.baseline) return { progress: met ? 100 : 0, met, trend };
  return { progress: clamp(((f.latest - f.baseline) / (f.target - f.baseline)) * 100, 0, 100), met, trend };
}

/** An action is late when its end date has passed and it is neither done nor cancelled. */
export function isLate(endDate: string | null, status: string, today: string): boolean {
  return !!endDate && endDate < today && status !== 'done' && status !== 'cancelled';
}

/**
 * A reporting period code: a year (`2025`), a half (`2025-S2`), a quarter (`2026-Q1`) or a month
 * (`2026-03`). Returns the last day of the period, or null for an invalid code.
 */
export function periodEnd(code: string): string | null {
  const m = /^(\d{4})(?:-(S[12]|Q[1-4]|(0[1-9]|1[0-2])))?$/.exec(code.trim());
  if (!m) return null;
  const year = Number(m[1]);
  if (year < 1990 || year > 2100) return null;
  const lastDay = (month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
  if (!m[2]) return `${year}-12-31`;
  if (m[2] === 'S1') return `${year}-06-30`;
  if (m[2] === 'S2') return `${year}-12-31`;
  if (m[2].startsWith('Q')) return lastDay(Number(m[2][1]) * 3);
  return lastDay(Number(m[2]));
}

/** The rounded percentage shown to people (and compared by the tests). */
export const pct = (p: number | null): number | null => (p === null ? null : Math.round(p));

/** Parses a number as people type it: `1 234,5`, `1234.5`, `-3`. Null for anything else. */
export function parseDecimal(s: string): number | null {
  const t = s.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (!/^-?\d+(?:[.,]\d+)?$/.test(t)) return null;
  const n = Number(t.replace(',', '.'));
  return Number.isFinite(n) ? n : null;
}

export interface MatrixRowRef {
  id: number;
  kind: 'action' | 'indicator';
  state: string;
  institutionId: number;
  status: string | null;
  progress: number | null;
  value: number | null;
  difficulties: string;
  answer: string;
}

export interface RowReport { status?: string; progress?: number; value?: number; difficulties: string; answer: string }

export interface LineError { line: number; key: string; params?: Record<string, unknown> }

/** A checked line: the row it reports on, what it says, and whether that differs from the row. */
export interface MatrixChange { line: number; rowId: number; report: RowReport; changed: boolean }

export const MATRIX_COLUMNS = ['row_id', 'type', 'department', 'commitment', 'item', 'title', 'status', 'progress', 'value', 'difficulties', 'answer'] as const;

/**
 * Checks every line of an uploaded matrix (already split into cells, header first) against the
 * rows of the cycle. Returns the changes to apply and every bad line with its number (as a
 * spreadsheet numbers it, the header being line 1) and the reason. A line that changes nothing
 * comes back with `changed: false` when its row is still editable (it may be submitted as it is),
 * and is skipped otherwise. The caller applies the changes only when there is no error.
 */
export function checkMatrixLines(
  lines: string[][],
  rows: Map<number, MatrixRowRef>,
  mayReport: (institutionId: number) => boolean,
): { changes: MatrixChange[]; errors: LineError[] } {
  const errors: LineError[] = [];
  const changes: MatrixChange[] = [];
  if (lines.length === 0) return { changes, errors: [{ line: 1, key: 'plans.csv.empty' }] };
  const header = lines[0].map((h) => h.trim().toLowerCase());
  const col: Record<string, number> = {};
  for (const name of MATRIX_COLUMNS) col[name] = header.indexOf(name);
  const missing = ['row_id', 'status', 'progress', 'value'].filter((n) => col[n] < 0);
  if (missing.length) return { changes, errors: [{ line: 1, key: 'plans.csv.missingColumns', params: { columns: missing.join(', ') } }] };
  // An apostrophe the export put before text a spreadsheet would run as a formula is taken off again.
  const cell = (cells: string[], name: string) => (col[name] >= 0 ? (cells[col[name]] ?? '').trim().replace(/^'(?=[=+\-@])/, '') : '');
  const seen = new Set<number>();
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const cells = lines[i];
    if (cells.every((c) => c.trim() === '')) continue;
    const idText = cell(cells, 'row_id');
    const id = /^\d{1,9}$/.test(idText) ? Number(idText) : NaN;
    const row = rows.get(id);
    if (!row) { errors.push({ line, key: 'plans.csv.unknownRow', params: { value: idText } }); continue; }
    if (seen.has(id)) { errors.push({ line, key: 'plans.csv.duplicateRow', params: { value: idText } }); continue; }
    seen.add(id);
    if (!mayReport(row.institutionId)) { errors.push({ line, key: 'plans.csv.notYourRow', params: { value: idText } }); continue; }
    const report: RowReport = { difficulties: cell(cells, 'difficulties').slice(0, 2000), answer: cell(cells, 'answer').slice(0, 2000) };
    let bad = false;
    if (row.kind === 'action') {
      const status = cell(cells, 'status');
      const progressText = cell(cells, 'progress');
      if (status === '' && progressText === '') { /* nothing reported on this line */ }
      else {
        if (!(ACTION_STATUSES as readonly string[]).includes(status)) { errors.push({ line, key: 'plans.csv.badStatus', params: { value: status, allowed: ACTION_STATUSES.join(', ') } }); bad = true; }
        const progress = /^\d{1,3}$/.test(progressText) ? Number(progressText) : NaN;
        if (!(progress >= 0 && progress <= 100)) { errors.push({ line, key: 'plans.csv.badProgress', params: { value: progressText } }); bad = true; }
        if (!bad) { report.status = status; report.progress = actionProgress(status, progress); }
      }
      if (cell(cells, 'value') !== '') { errors.push({ line, key: 'plans.csv.valueOnAction' }); bad = true; }
    } else {
      const valueText = cell(cells, 'value');
      if (valueText !== '') {
        const value = parseDecimal(valueText);
        if (value === null) { errors.push({ line, key: 'plans.csv.badValue', params: { value: valueText } }); bad = true; }
        else report.value = value;
      }
      if (cell(cells, 'status') !== '' || cell(cells, 'progress') !== '') { errors.push({ line, key: 'plans.csv.statusOnIndicator' }); bad = true; }
    }
    if (bad) continue;
    const changed = (report.status !== undefined && report.status !== row.status)
      || (report.progress !== undefined && report.progress !== row.progress)
      || (report.value !== undefined && report.value !== row.value)
      || report.difficulties !== row.difficulties || report.answer !== row.answer;
    if (!editableByDepartment(row.state)) {
      if (changed) errors.push({ line, key: 'plans.csv.notEditable', params: { value: idText } });
      continue;
    }
    changes.push({ line, rowId: id, report, changed });
  }
  return { changes, errors };
}

/** A row is complete (may be submitted) when it carries what its kind needs. */
export function rowComplete(r: { kind: string; status: string | null; progress: number | null; value: number | null }): boolean {
  return r.kind === 'action' ? r.status !== null && r.progress !== null : r.value !== null;
}
