/** Counted API calls: a total, per `METHOD template`, and per caller. */
export interface CallCounts {
  readonly total: number;
  /** Keyed `GET /orgs/{org}/actions/runners`; unmatched requests by their concrete path. */
  readonly byRoute: Readonly<Record<string, number>>;
  /** Keyed `installation:<id>`, `app:<id>` or `anonymous`. */
  readonly byCaller: Readonly<Record<string, number>>;
  /**
   * Of `byRoute`, the conditional requests answered 304 Not Modified, which GitHub does not
   * count against the rate limit; absent when there were none.
   */
  readonly notModified?: Readonly<Record<string, number>>;
}

/** Counts every request the fake receives, including those answered by faults or errors. */
export class Calls {
  private total = 0;
  private byRoute = new Map<string, number>();
  private byCaller = new Map<string, number>();
  private unchanged = new Map<string, number>();

  record(method: string, routeOrPath: string, caller: string): void {
    this.total += 1;
    const route = `${method} ${routeOrPath}`;
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
    this.byCaller.set(caller, (this.byCaller.get(caller) ?? 0) + 1);
  }

  /** Marks one counted request as answered 304 (it stays counted in `total` and `byRoute`). */
  notModified(method: string, template: string): void {
    const route = `${method} ${template}`;
    this.unchanged.set(route, (this.unchanged.get(route) ?? 0) + 1);
  }

  snapshot(): CallCounts {
    return {
      total: this.total,
      byRoute: Object.fromEntries(this.byRoute),
      byCaller: Object.fromEntries(this.byCaller),
      ...(this.unchanged.size > 0 ? { notModified: Object.fromEntries(this.unchanged) } : {}),
    };
  }

  reset(): void {
    this.total = 0;
    this.byRoute = new Map();
    this.byCaller = new Map();
    this.unchanged = new Map();
  }
}
