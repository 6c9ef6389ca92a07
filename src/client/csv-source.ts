import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { JourneyError } from '../errors';
import { customerSchema } from './customer';
import type { EnrollManyBadRow, EnrollManyItem } from './enroll-many';

/** Columns that make the customer and the key; every other column goes into the journey's `data`. */
const CUSTOMER_COLUMNS = ['id', 'email', 'phone'] as const;

/**
 * Splits one CSV line (RFC 4180 quoting: `"a ""quoted"" field"`); `undefined` when its quotes do not close
 * (a field may not hold a line break: one customer per line).
 */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields.map((f) => f.trim());
}

/**
 * Reads customers from a CSV file with a header line: `id` (required), `email`, `phone`, `key` (keyed
 * journeys), and any other columns, which become the journey's `data` (`{ segment: 'vip' }`). Streams the
 * file line by line. A row that cannot be used (wrong number of fields, no id, a bad email or phone) is
 * yielded as a bad row with its line number, so the summary reports it instead of dropping it.
 */
export async function* readCustomersCsv(file: string): AsyncGenerator<EnrollManyItem | EnrollManyBadRow> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let header: string[] | undefined;
  let number = 0;
  for await (const raw of lines) {
    number += 1;
    const text = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    const fields = splitCsvLine(text);
    if (!header) {
      header = fields?.map((h) => h.toLowerCase());
      if (!header?.includes('id'))
        throw new JourneyError(
          'INPUT_INVALID',
          `${file}:1: the header needs an "id" column (found: ${text}).`,
        );
      continue;
    }
    if (!fields) {
      yield { line: number, error: 'a quoted field is not closed' };
      continue;
    }
    if (fields.length !== header.length) {
      yield { line: number, error: `${fields.length} fields where the header has ${header.length}` };
      continue;
    }
    const row = Object.fromEntries(header.map((h, i) => [h, fields[i] as string]));
    const customer = customerSchema.safeParse(
      Object.fromEntries(CUSTOMER_COLUMNS.filter((c) => row[c]).map((c) => [c, row[c]])),
    );
    if (!customer.success) {
      const issue = customer.error.issues[0];
      yield {
        line: number,
        error: `customer.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      };
      continue;
    }
    const data = Object.fromEntries(
      Object.entries(row).filter(
        ([k, v]) => v !== '' && k !== 'key' && !(CUSTOMER_COLUMNS as readonly string[]).includes(k),
      ),
    );
    yield {
      customer: customer.data,
      data: Object.keys(data).length > 0 ? data : undefined,
      key: row.key || undefined,
      line: number,
    };
  }
}
