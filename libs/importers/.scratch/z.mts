import { z } from 'zod';
const A = z.strictObject({ type: z.literal('a'), x: z.number().optional() });
const B = z.strictObject({ type: z.literal('b'), y: z.string() });
const U = z.discriminatedUnion('type', [A, B]);
const S = z.strictObject({ items: z.array(U), rec: z.record(z.string(), z.number()).optional() });
for (const v of [{ items: [{ type: 'c' }] }, { items: [{ type: 'b', y: 1, q: 2 }] }, { items: [], rec: { 'a b': 'x' } }, {items: [{}]}]) {
  const r = S.safeParse(v);
  if (!r.success) console.log(JSON.stringify(r.error.issues));
}
const O = z.object({ a: z.number().optional(), b: z.object({c: z.string()}) });
const sh = O.shape;
for (const [k, f] of Object.entries(sh)) console.log(k, f instanceof z.ZodOptional, f instanceof z.ZodObject, (f instanceof z.ZodOptional) && f.unwrap() instanceof z.ZodNumber);
console.log(typeof (z.string() as any).superRefine, typeof z.toJSONSchema);
