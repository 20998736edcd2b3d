// Reads a Parquet file with hyparquet (a Parquet reader that is not
// synthor's) and prints {"columns": [...], "rows": [[...], ...],
// "metadata": {...}} as JSON: integers as decimal strings, timestamps as
// milliseconds since the epoch, missing values as null.
// Usage: node hyparquet.mjs NODE_MODULES_DIR FILE
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const require = createRequire(join(resolve(process.argv[2]), 'index.js'))
const { parquetMetadata, parquetReadObjects, parquetSchema } = await import(pathToFileURL(require.resolve('hyparquet')).href)
const buf = readFileSync(process.argv[3])
const file = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
const meta = parquetMetadata(file)
const columns = parquetSchema(meta).children.map(c => c.element.name)
const objects = await parquetReadObjects({ file })
const cell = v => {
  if (v === null || v === undefined) return null
  if (typeof v === 'bigint') return v.toString()
  if (v instanceof Date) return v.getTime()
  return v
}
const rows = objects.map(o => columns.map(c => cell(o[c])))
const metadata = {}
for (const kv of meta.key_value_metadata ?? []) metadata[kv.key] = kv.value
process.stdout.write(JSON.stringify({ columns, rows, metadata }))
