import fs from 'node:fs';
import { z } from 'zod';

const schema = z.object({
  towns: z.array(z.string().min(1)).min(1),
  categories: z.array(z.string().min(1)).min(1),
  purposes: z.array(z.string().min(1)).default([]),
  channels: z.array(z.string().min(1)).min(1),
  units: z.array(z.string().min(1)).default([]),
  venues: z
    .array(z.object({ id: z.string(), name: z.string(), kind: z.string(), town: z.string().nullable().optional() }))
    .default([]),
  reviewProblems: z.array(z.string().min(1)).default([]),
  // The dispute ledger's lists (src/disputes); absent: the ledger's own defaults, categories the case categories.
  disputeScreeningTypes: z.array(z.string().min(1)).min(1).optional(),
  disputeSources: z.array(z.string().min(1)).min(1).optional(),
  disputeRiskLevels: z.array(z.string().min(1)).min(1).optional(),
  disputeCategories: z.array(z.string().min(1)).min(1).optional(),
});

/** The bureau's editable lists: towns, categories, purposes, channels, units, venues. */
export type ReferenceData = z.infer<typeof schema>;

/** Reads and checks the file. Core.reference() holds the one copy the app uses. */
export function loadReferenceData(file: string): ReferenceData {
  const parsed = schema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`配置文件 ${file} 有误：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
  }
  return parsed.data;
}
