import type { Generated } from 'kysely';

/**
 * The communal budget (issue 13). Amounts are integers in centimes of a dirham (exact sums on both engines).
 * The nomenclature is reference data: one row per chapter, article, paragraph and line, with codes stable
 * across years; amounts are kept per line, year and phase.
 */
export type BudgetTables = {
  budget_nomenclature: {
    id: Generated<number>; commune_id: number; code: string; level: string; parent_code: string | null;
    chapter_code: string; part: string; direction: string; label: string; source: string | null; sample: number;
  };
  budget_years: {
    id: Generated<number>; commune_id: number; year: number; population: number; explanations: string; sample: number;
  };
  budget_amounts: {
    id: Generated<number>; commune_id: number; year: number; line_code: string; phase: string; amount: number;
  };
  budget_totals: {
    id: Generated<number>; commune_id: number; year: number; direction: string; phase: string; amount: number;
  };
  budget_functions: {
    id: Generated<number>; commune_id: number; slug: string; label: string; description: string; sort: number; sample: number;
  };
  budget_line_map: {
    id: Generated<number>; commune_id: number; line_code: string; function_id: number | null; district: string | null;
  };
  budget_line_commitments: {
    id: Generated<number>; commune_id: number; line_code: string; commitment_id: number;
  };
  budget_glossary: {
    id: Generated<number>; commune_id: number; slug: string; term: string; definition: string; sort: number; sample: number;
  };
  budget_imports: {
    id: Generated<number>; commune_id: number; status: string; file_id: number; filename: string; summary: string;
    created_at: string; created_by: number | null; applied_at: string | null; document_id: number | null;
  };
};

/** Moroccan communal budget: two parts and the special accounts. */
export const PARTS = ['operating', 'equipment', 'special'] as const;
export type Part = (typeof PARTS)[number];
export const DIRECTIONS = ['receipt', 'expenditure'] as const;
export type Direction = (typeof DIRECTIONS)[number];
export const LEVELS = ['chapter', 'article', 'paragraph', 'line'] as const;
export type Level = (typeof LEVELS)[number];
/** A year's phases: the initial budget, as amended (budget modificatif, transfers), committed, executed (administrative account). */
export const PHASES = ['forecast', 'amended', 'committed', 'executed'] as const;
export type Phase = (typeof PHASES)[number];
/** Where receipts come from, for the citizen budget. */
export const SOURCES = ['own_taxes', 'vat_share', 'transfers', 'loans', 'other'] as const;
/**
 * `source = 'internal'` marks an internal transfer (the operating surplus carried to the equipment part, on both
 * sides): part of the legal balance, left out of the citizen budget's totals so that nothing is counted twice.
 */
export const INTERNAL = 'internal';
export type Source = (typeof SOURCES)[number];
/** The charts that carry a staff-written explanation. */
export const EXPLAINED = ['overview', 'sources', 'functions', 'perInhabitant', 'yearOnYear', 'execution'] as const;
export type Explained = (typeof EXPLAINED)[number];
/** The phases whose receipts and expenditure must balance, part by part (a budget is voted balanced). */
export const BALANCED_PHASES: readonly Phase[] = ['forecast', 'amended'];

export const CODE_RE = /^[0-9A-Za-z][0-9A-Za-z.\-]{0,39}$/;
