import { HttpError, json, notFound, numericParam, type RequestContext, type Route } from './http-kit';
import type { RouteDeps } from './route-deps';
import type { DeliveryRecord } from './types';

function appIdOf(ctx: RequestContext): number {
  if (ctx.caller.kind !== 'app') throw new HttpError(401, 'A JSON web token could not be decoded');
  return ctx.caller.appId;
}

function summary(d: DeliveryRecord): Record<string, unknown> {
  return {
    id: d.id,
    guid: d.guid,
    delivered_at: d.deliveredAt,
    redelivery: d.redelivery,
    duration: d.duration,
    status: d.status,
    status_code: d.statusCode,
    event: d.event,
    action: d.action,
    installation_id: d.installationId,
    repository_id: d.repositoryId,
    throttled_at: null,
  };
}

/**
 * The App's webhook deliveries. GitHub lists them newest first with cursor pagination
 * (`Link: <...?per_page=N&cursor=v1_ID>; rel="next"`), not page numbers.
 */
export function deliveryRoutes(deps: RouteDeps): Route[] {
  const { state, webhooks } = deps;
  const deliveryOf = (ctx: RequestContext): DeliveryRecord => {
    const appId = appIdOf(ctx);
    const id = numericParam(ctx, 'delivery_id');
    const found = state.deliveries.find((d) => d.id === id && d.appId === appId);
    if (!found) throw notFound();
    return found;
  };
  return [
    {
      method: 'GET',
      template: '/app/hook/deliveries',
      auth: 'app',
      handle: (ctx) => {
        const appId = appIdOf(ctx);
        const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? 30) || 30));
        const cursor = /^v1_(\d+)$/.exec(ctx.query.get('cursor') ?? '')?.[1];
        const before = cursor === undefined ? Number.POSITIVE_INFINITY : Number(cursor);
        const mine = state.deliveries.filter((d) => d.appId === appId && d.id < before).reverse();
        const page = mine.slice(0, perPage);
        const last = page[page.length - 1];
        const headers: Record<string, string> =
          mine.length > perPage && last
            ? {
                link: `<${ctx.baseUrl}/app/hook/deliveries?per_page=${perPage}&cursor=v1_${last.id}>; rel="next"`,
              }
            : {};
        return json(200, page.map(summary), headers);
      },
    },
    {
      method: 'GET',
      template: '/app/hook/deliveries/{delivery_id}',
      auth: 'app',
      handle: (ctx) => {
        const d = deliveryOf(ctx);
        return json(200, {
          ...summary(d),
          url: d.url,
          request: { headers: d.request.headers, payload: d.request.payload },
          response: { headers: d.response.headers, payload: d.response.payload },
        });
      },
    },
    {
      method: 'POST',
      template: '/app/hook/deliveries/{delivery_id}/attempts',
      auth: 'app',
      handle: (ctx) => {
        webhooks.redeliver(deliveryOf(ctx));
        return json(202, {});
      },
    },
  ];
}
