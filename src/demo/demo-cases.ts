import type { Core } from '../feature';

/** Seeds the demo county's cases. Written by the lead at integration; see src/demo/. */
export async function seedDemoCases(_core: Core, _opts: { today: string }): Promise<number> {
  return 0;
}
