import type { Migration } from 'kysely';
import { communeTable, communeRef, json, bool, ts } from '../../../core/db/schema.ts';

export const migrations: Record<string, Migration> = {
  '2026-12-06-2000-budget-tables': {
    async up(db) {
      await communeTable(db, 'budget_nomenclature')
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull()) // chapter | article | paragraph | line
        .addColumn('parent_code', 'text')
        .addColumn('chapter_code', 'text', (c) => c.notNull())
        .addColumn('part', 'text', (c) => c.notNull()) // operating | equipment | special
        .addColumn('direction', 'text', (c) => c.notNull()) // receipt | expenditure
        .addColumn('label', json, (c) => c.notNull())
        .addColumn('source', 'text') // receipts: own_taxes | vat_share | transfers | loans | other
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('budget_nomenclature_code_u', ['commune_id', 'code'])
        .execute();
      await db.schema.createIndex('budget_nomenclature_parent_i').on('budget_nomenclature').columns(['commune_id', 'parent_code']).execute();
      await db.schema.createIndex('budget_nomenclature_chapter_i').on('budget_nomenclature').columns(['commune_id', 'chapter_code', 'level']).execute();

      await communeTable(db, 'budget_years')
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('population', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('explanations', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('budget_years_year_u', ['commune_id', 'year'])
        .execute();

      await communeTable(db, 'budget_amounts')
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('line_code', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('budget_amounts_u', ['commune_id', 'year', 'phase', 'line_code'])
        .addForeignKeyConstraint('budget_amounts_line_fk', ['commune_id', 'line_code'], 'budget_nomenclature', ['commune_id', 'code'], (c) => c.onDelete('restrict'))
        .execute();
      await db.schema.createIndex('budget_amounts_line_i').on('budget_amounts').columns(['commune_id', 'line_code', 'year']).execute();

      await communeTable(db, 'budget_functions')
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('label', json, (c) => c.notNull())
        .addColumn('description', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('budget_functions_slug_u', ['commune_id', 'slug'])
        .execute();

      let m = communeTable(db, 'budget_line_map')
        .addColumn('line_code', 'text', (c) => c.notNull())
        .addColumn('function_id', 'integer')
        .addColumn('district', 'text')
        .addUniqueConstraint('budget_line_map_u', ['commune_id', 'line_code'])
        .addForeignKeyConstraint('budget_line_map_line_fk', ['commune_id', 'line_code'], 'budget_nomenclature', ['commune_id', 'code'], (c) => c.onDelete('cascade'));
      m = communeRef(m, 'budget_line_map', 'function_id', 'budget_functions', 'restrict');
      await m.execute();
      await db.schema.createIndex('budget_line_map_function_i').on('budget_line_map').columns(['commune_id', 'function_id']).execute();

      await communeTable(db, 'budget_line_commitments')
        .addColumn('line_code', 'text', (c) => c.notNull())
        .addColumn('commitment_id', 'integer', (c) => c.notNull())
        .addUniqueConstraint('budget_line_commitments_u', ['commune_id', 'line_code', 'commitment_id'])
        .addForeignKeyConstraint('budget_line_commitments_line_fk', ['commune_id', 'line_code'], 'budget_nomenclature', ['commune_id', 'code'], (c) => c.onDelete('cascade'))
        .addForeignKeyConstraint('budget_line_commitments_c_fk', ['commune_id', 'commitment_id'], 'commitments', ['commune_id', 'id'], (c) => c.onDelete('cascade'))
        .execute();
      await db.schema.createIndex('budget_line_commitments_c_i').on('budget_line_commitments').columns(['commune_id', 'commitment_id']).execute();

      await communeTable(db, 'budget_glossary')
        .addColumn('slug', 'text', (c) => c.notNull())
        .addColumn('term', json, (c) => c.notNull())
        .addColumn('definition', json, (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('sample', bool, (c) => c.notNull().defaultTo(0))
        .addUniqueConstraint('budget_glossary_slug_u', ['commune_id', 'slug'])
        .execute();

      let i = communeTable(db, 'budget_imports')
        .addColumn('status', 'text', (c) => c.notNull()) // pending | applied | discarded
        .addColumn('file_id', 'integer', (c) => c.notNull())
        .addColumn('filename', 'text', (c) => c.notNull())
        .addColumn('summary', json, (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .addColumn('applied_at', ts)
        .addColumn('document_id', 'integer'); // the file kept as a document of the transparency module
      i = communeRef(i, 'budget_imports', 'file_id', 'files', 'restrict');
      await i.execute();
    },
  },
  '2026-12-06-2001-budget-totals': {
    async up(db) {
      // Year totals by direction and phase (internal transfers left out), refreshed by each import: the
      // year-on-year chart reads a few dozen rows instead of every amount of every year.
      await communeTable(db, 'budget_totals')
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('amount', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('budget_totals_u', ['commune_id', 'year', 'direction', 'phase'])
        .execute();
    },
  },
};
