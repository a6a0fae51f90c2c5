/**
 * The load balancer in front of the two relay instances, built from the project's TCP
 * pass-through (e2e/support/network-link.ts). Each instance has a "home" link: typists assigned
 * to an instance connect through its link, which forwards to that instance while it is up and
 * to another one while it is down (a health-checked balancer). Browsers share a third link that
 * takes turns. `resetAll` drops every open connection, as a network blip would.
 */
import { NetworkLink } from '../e2e/support/network-link';
import type { RelayInstance } from './relay-instance';

/** Tag of connections without the tag header (every y-websocket client of the soak). */
const UNTAGGED = '';

export class Balancer {
  private constructor(
    readonly homeLinks: readonly NetworkLink[],
    readonly browserLink: NetworkLink,
    private readonly browserTags: readonly string[],
  ) {}

  static async start(
    instances: readonly RelayInstance[],
    browserTags: readonly string[],
  ): Promise<Balancer> {
    const pick = (preferred: number) => {
      for (let i = 0; i < instances.length; i++) {
        const instance = instances[(preferred + i) % instances.length] as RelayInstance;
        if (instance.up) return { host: '127.0.0.1', port: instance.port };
      }
      // Nobody is up: aim at the preferred one; the client gets a refusal and retries.
      return { host: '127.0.0.1', port: (instances[preferred] as RelayInstance).port };
    };
    const homeLinks = await Promise.all(instances.map((_, i) => NetworkLink.start(() => pick(i))));
    let turn = 0;
    const browserLink = await NetworkLink.start(() => pick(turn++ % instances.length));
    return new Balancer(homeLinks, browserLink, browserTags);
  }

  /** Reset every open client connection; new ones are refused for `outageMs`. */
  async resetAll(outageMs: number): Promise<void> {
    const links = [...this.homeLinks, this.browserLink];
    const tags = [UNTAGGED, ...this.browserTags];
    for (const link of links) for (const tag of tags) link.cut(tag);
    await new Promise((resolve) => setTimeout(resolve, outageMs));
    for (const link of links) for (const tag of tags) link.restore(tag);
  }

  async close(): Promise<void> {
    await Promise.all([...this.homeLinks, this.browserLink].map((link) => link.close()));
  }
}
