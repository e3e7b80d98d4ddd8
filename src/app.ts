import type { Express } from 'express';
import { Router } from './platform/chat/router';
import type { Core, Feature, JobDefinition } from './platform/core/feature';
import { featureFactories } from './capabilities';
import { createHttpApp } from './platform/http/http-app';
import { createDoctorFeature } from './platform/doctor/doctor-feature';

export interface App {
  core: Core;
  router: Router;
  features: Feature[];
  http: Express;
  jobs: JobDefinition[];
}

/** Wires every feature to one router and one HTTP app. Nothing starts here. */
export function buildApp(core: Core): App {
  const router = new Router((id) => core.users.get(id), core.logger, core.now);
  const features = featureFactories.map((f) => f(core, router));
  // 系统检查 collects every other feature's diagnose().
  features.push(createDoctorFeature(core, [...features]));
  for (const f of features) f.registerBot?.(router);
  const http = createHttpApp(core, router, features);
  const jobs = features.flatMap((f) => f.jobs?.() ?? []);
  return { core, router, features, http, jobs };
}
