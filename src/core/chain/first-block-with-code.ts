import type { Provider } from "ethers";

import type { Address } from "../types.js";

/**
 * The first block at whose end `address` has code, found by bisection over eth_getCode at past
 * blocks (about log2(head) requests; needs an endpoint that serves old state). 0 when the endpoint
 * cannot answer for old blocks: reading history from genesis is slow but never misses anything.
 *
 * JSON-RPC: eth_getCode at past blocks.
 */
export async function firstBlockWithCode(
  provider: Pick<Provider, "getCode">,
  address: Address,
  head: number,
): Promise<number> {
  let low = 0;
  let high = head;
  try {
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if ((await provider.getCode(address, mid)) === "0x") low = mid + 1;
      else high = mid;
    }
    return low;
  } catch {
    return 0;
  }
}
