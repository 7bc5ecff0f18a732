import fc from 'fast-check';

/** A named way to damage a response body, as real servers, proxies and redesigns do. */
export interface Mutation {
  name: string;
  apply(body: Buffer): Buffer;
}

const position = (body: Buffer, fraction: number) => Math.floor(fraction * body.length);
const fraction = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

/** Everything a fuzz run may do to a fixture: byte-level damage and structure-aware edits. */
export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  fraction.map((f) => ({ name: `truncate at ${f.toFixed(3)}`, apply: (b: Buffer) => b.subarray(0, position(b, f)) })),
  fc.tuple(fraction, fraction).map(([a, z]) => ({
    name: `delete ${a.toFixed(3)}–${z.toFixed(3)}`,
    apply: (b: Buffer) => Buffer.concat([b.subarray(0, position(b, Math.min(a, z))), b.subarray(position(b, Math.max(a, z)))]),
  })),
  fc.tuple(fraction, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([f, bytes]) => ({
    name: `insert ${bytes.length} random bytes at ${f.toFixed(3)}`,
    apply: (b: Buffer) => Buffer.concat([b.subarray(0, position(b, f)), Buffer.from(bytes), b.subarray(position(b, f))]),
  })),
  fc.tuple(fraction, fc.uint8Array({ minLength: 1, maxLength: 32 })).map(([f, bytes]) => ({
    name: `overwrite ${bytes.length} bytes at ${f.toFixed(3)}`,
    apply: (b: Buffer) => {
      const copy = Buffer.from(b);
      Buffer.from(bytes).copy(copy, position(b, f));
      return copy;
    },
  })),
  fc.tuple(fraction, fraction, fraction).map(([a, z, at]) => ({
    name: `duplicate a slice into ${at.toFixed(3)}`,
    apply: (b: Buffer) => {
      const slice = b.subarray(position(b, Math.min(a, z)), position(b, Math.max(a, z)));
      return Buffer.concat([b.subarray(0, position(b, at)), slice, b.subarray(position(b, at))]);
    },
  })),
  fc.nat({ max: 400 }).map((n) => ({
    name: `remove markup tag #${n}`,
    apply: (b: Buffer) => {
      let seen = -1;
      return Buffer.from(b.toString('latin1').replace(/<[^<>]{1,200}>/g, (tag) => (++seen === n ? '' : tag)), 'latin1');
    },
  })),
  fc.tuple(fc.nat({ max: 400 }), fc.constantFrom(null, 0, '', [], {}, 'x'.repeat(5000), -1)).map(([n, value]) => ({
    name: `JSON: set value #${n} to ${JSON.stringify(value)?.slice(0, 20)}`,
    apply: (b: Buffer) => {
      let data: unknown;
      try {
        data = JSON.parse(b.toString('utf8'));
      } catch {
        return b;
      }
      let seen = -1;
      const walk = (node: unknown): unknown => {
        if (Array.isArray(node)) return node.map(walk);
        if (node && typeof node === 'object') {
          return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, ++seen === n ? value : walk(v)]));
        }
        return node;
      };
      return Buffer.from(JSON.stringify(walk(data)));
    },
  })),
  fc.constant({ name: 'empty body', apply: () => Buffer.alloc(0) }),
  fc.constant({ name: 'an HTML error page instead', apply: () => Buffer.from('<!doctype html><html><body><h1>Service unavailable</h1></body></html>') }),
  fc.constant({ name: 're-encoded as UTF-16LE', apply: (b: Buffer) => Buffer.from(b.toString('utf8'), 'utf16le') }),
);
