// duckdb_query.mjs - runs one query of bench/queries.sql through DuckDB
// (@duckdb/node-api, installed by bench/run) and prints its rows as CSV on
// stdout and the query's own time in seconds on stderr.
//
//   node duckdb_query.mjs QUERIES.sql NAME FILE AGO7D
import { readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [sqlPath, name, file, ago7d] = process.argv.slice(2);
const parts = readFileSync(sqlPath, 'utf8').split(/^-- name: /m).slice(1);
const part = parts.find((p) => p.startsWith(name + '\n'));
if (!part) {
    console.error(`duckdb_query: no query named ${name} in ${sqlPath}`);
    process.exit(2);
}
const sql = part.slice(name.length + 1).split('{FILE}').join(file.replaceAll("'", "''")).split('{AGO7D}').join(ago7d);

const start = process.hrtime.bigint();
const db = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await db.connect();
const result = await con.runAndReadAll(sql);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

const cell = (v) => {
    if (v === null || v === undefined) return '';
    const s = typeof v === 'object' && 'toDouble' in v ? String(v.toDouble()) : String(v);
    return /[",\r\n]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
};
const lines = [result.columnNames().join(',')];
for (const row of result.getRows()) lines.push(row.map(cell).join(','));
process.stdout.write(lines.join('\n') + '\n');
process.stderr.write(`${seconds}\n`);
