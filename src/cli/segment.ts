import { previewSegment } from '../profile';
import { parseFlags } from './args';
import { loadSegments, openCustomerData, segmentNamed } from './customer-data';

/** `journeys segment preview <name>`: the segment's size now and a sample of its members. */
export async function segment(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'preview') {
    console.error(`Unknown segment command "${sub ?? ''}": try \`journeys segment preview <name>\`.`);
    return 2;
  }
  const { values, positionals } = parseFlags(rest, {
    segments: { type: 'string' },
    database: { type: 'string' },
    sample: { type: 'string', default: '5' },
  });
  const segments = loadSegments(values.segments);
  const [name] = positionals;
  if (!name) {
    console.error(`Usage: journeys segment preview <name> (known: ${[...segments.keys()].join(', ')})`);
    return 2;
  }
  const definition = segmentNamed(segments, name);
  const data = await openCustomerData(values.database);
  try {
    const { size, sample } = await previewSegment(data.source.db, definition, {
      sample: Number(values.sample),
    });
    console.log(`segment ${definition.name}${definition.description ? `: ${definition.description}` : ''}`);
    console.log(`  in ${data.where}, now: ${size.toLocaleString('en-US')} customer${size === 1 ? '' : 's'}`);
    for (const m of sample) {
      const extra = Object.entries(m.data)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      console.log(`  ${m.id.padEnd(20)} ${(m.email ?? '').padEnd(24)} ${m.phone ?? ''} ${extra}`.trimEnd());
    }
    return 0;
  } finally {
    await data.close();
  }
}
