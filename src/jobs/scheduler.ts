import type { Core, JobDefinition } from '../feature';

/**
 * Starts the scheduled jobs. Placeholder until the jobs machinery lands: it logs what would run.
 * Returns a function that stops them.
 */
export function startJobs(core: Core, jobs: JobDefinition[]): () => void {
  if (jobs.length) core.logger.info({ jobs: jobs.map((j) => j.name) }, 'jobs registered');
  return () => undefined;
}
