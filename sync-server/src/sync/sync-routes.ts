import { Router } from 'express';
import { PullCollection, PullQuery, PushRequest, ResolutionPushRequest } from '@bazaar/shared';
import { currentUser } from '../auth/require-user';
import type { Database } from '../db/database';
import { parseOr400, validateBody, validateQuery } from '../http/validate';
import type { ChangeBus } from '../live/change-bus';
import type { OutboxRelay } from '../outbox/relay';
import { protocolOf } from '../http/protocol-version';
import { forProtocol, knownTo } from './older-protocols';
import { pullCollection } from './pull-repository';
import { pushOperations } from './push-service';
import { recordResolutions } from './resolution-service';

export function syncRoutes(deps: { db: Database; bus: ChangeBus; relay: OutboxRelay; log: (msg: string, err?: unknown) => void }): Router {
  const router = Router();

  router.post('/operations/push', validateBody(PushRequest), async (req, res) => {
    const result = await pushOperations(deps.db, currentUser(res), res.locals.body);
    res.json(result.conflicts.map((doc) => forProtocol('operations', doc, protocolOf(res))));
    // After commit: wake the relay, and tell every instance's streams.
    if (result.changedStores.length > 0) {
      deps.relay.poke();
      for (const storeId of result.changedStores) {
        deps.bus.publish({ storeId, collections: ['stock', 'store-products', 'operations', 'customers'] }).catch((err) => deps.log('change bus publish failed', err));
      }
    }
  });

  // Decisions about refused or flagged operations (SPEC.md R9), pushed like operations; never in conflict.
  router.post('/resolutions/push', validateBody(ResolutionPushRequest), async (req, res) => {
    const rows: ResolutionPushRequest = res.locals.body;
    const { changedStores } = await recordResolutions(deps.db, currentUser(res), rows.map((r) => r.newDocumentState), { ip: req.ip });
    res.json([]);
    for (const storeId of changedStores) {
      deps.bus.publish({ storeId, collections: ['operations'] }).catch((err) => deps.log('change bus publish failed', err));
    }
  });

  router.get('/:collection/pull', validateQuery(PullQuery), async (req, res) => {
    const collection = parseOr400(PullCollection, req.params.collection, 'collection');
    const { checkpoint, limit }: PullQuery = res.locals.query;
    const user = currentUser(res);
    const scope = user.role === 'admin' ? null : user.storeIds;
    const page = await pullCollection(deps.db.readPool, collection, scope, checkpoint, limit);
    const protocol = protocolOf(res);
    // The checkpoint still moves past what an older client is not sent.
    res.json({ ...page, documents: page.documents.filter((doc) => knownTo(collection, doc, protocol)).map((doc) => forProtocol(collection, doc, protocol)) });
  });

  return router;
}
