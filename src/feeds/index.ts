import { registerFeedCommands } from './feed-commands';
import type { FeatureFactory } from '../platform/core/feature';
import { mountFeedRoutes } from './feed-routes';
import { createFeedService } from './feed-service';
import { FeedRateLimiter } from './rate-limit';
import { diagnoseFeeds } from './feeds-diagnosis';

/** Calendar feeds: /ical/* routes, the chat commands, and `xinfang feeds`. */
export const createFeedsFeature: FeatureFactory = (core) => {
  const service = createFeedService(core);
  return {
    name: 'feeds',
    registerBot: (router) => registerFeedCommands(router, service),
    registerHttp: (app) => {
      const limiter = new FeedRateLimiter(core.db, core.config.FEED_RATE_LIMIT_PER_MIN, core.config.FEED_RATE_LIMIT_BURST, core.logger);
      mountFeedRoutes(app, { service, limiter, logger: core.logger, now: core.now });
    },
    diagnose: () => diagnoseFeeds(service),
  };
};

export { registerFeedsCli } from './feeds-cli';
