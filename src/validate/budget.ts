// Budget-table checks: every subject row equals the sum of the rows under it (类 = Σ 款,
// 款 = Σ 项, 项 = Σ its detail lines, 合计 = Σ 类), column by column; and a code's amount is the
// same in every table that lists it.
import type { BudgetRow, ParsedBudget } from '../normalize/budgetTables.js';
import type { NormalizeContext } from '../normalize/context.js';
import { agrees, fmt, TOLERANCE } from './tolerance.js';

function childrenOf(rows: BudgetRow[]): Map<BudgetRow, BudgetRow[]> {
  const subjects = rows.filter((r) => r.role === 'subject');
  const byCode = new Map(subjects.map((s) => [s.code!, s]));
  const children = new Map<BudgetRow, BudgetRow[]>();
  const push = (parent: BudgetRow, child: BudgetRow) => children.set(parent, [...(children.get(parent) ?? []), child]);
  const total = rows.find((r) => r.role === 'total');
  for (const r of rows) {
    if (r.role === 'detail') { const s = byCode.get(r.code!); if (s) push(s, r); continue; }
    if (r.role !== 'subject') continue;
    let parent: BudgetRow | undefined;
    for (let len = r.code!.length - 1; len > 0 && !parent; len--) parent = byCode.get(r.code!.slice(0, len));
    if (parent) push(parent, r);
    else if (total) push(total, r);
  }
  return children;
}

export function checkBudget(budget: ParsedBudget, ctx: NormalizeContext): void {
  const tables = [...new Set(budget.rows.map((r) => r.table))];
  for (const t of tables) {
    const rows = budget.rows.filter((r) => r.table === t);
    for (const [parent, kids] of childrenOf(rows)) {
      for (const [path, a] of parent.amounts) {
        const values = kids.map((k) => k.amounts.get(path)?.yuan).filter((v): v is number => v !== undefined);
        if (values.length === 0) continue;
        const sum = values.reduce((x, y) => x + y, 0);
        if (!agrees(sum, a.yuan, TOLERANCE.wanHalfDigit * kids.length)) {
          const label = parent.code ?? ([...parent.names.values()][0] ?? 'total');
          ctx.add('BUDGET_CHILDREN_MISMATCH', `table "${t}", ${label}, column "${path}": the rows under it add up to ${fmt(sum)} yuan, it says ${fmt(a.yuan)} yuan`, a.ref);
        }
      }
    }
  }
  // The first amount column of each table is its total: one code, one total, in every table.
  // Only tables that list function codes cover the same ground; a 基本支出 or 机关运行经费
  // table has a smaller total by design.
  const coded = new Set(budget.rows.filter((r) => r.role === 'subject').map((r) => r.table));
  const seen = new Map<string, { table: string; yuan: number }>();
  for (const r of budget.rows) {
    if (!coded.has(r.table)) continue;
    if (r.role !== 'subject' && r.role !== 'total') continue;
    const first = [...r.amounts.values()][0];
    if (!first) continue;
    const key = r.role === 'total' ? 'total' : r.code!;
    const prev = seen.get(key);
    if (!prev) { seen.set(key, { table: r.table, yuan: first.yuan }); continue; }
    if (prev.table !== r.table && !agrees(prev.yuan, first.yuan, TOLERANCE.wanHalfDigit)) {
      ctx.add('BUDGET_TABLES_DISAGREE', `${key === 'total' ? 'the total' : `code ${key}`} is ${fmt(prev.yuan)} yuan in "${prev.table}" but ${fmt(first.yuan)} yuan in "${r.table}"`, first.ref);
    }
  }
}
