// Where a failed eth_call keeps what the contract reverted with.

/** ethers puts revert data on `data`, sometimes one level down (`error.error.data`, `info.error.data`). */
export function revertDataOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let queue: unknown[] = [error];
  while (queue.length > 0) {
    const next: unknown[] = [];
    for (const e of queue) {
      if (e === null || typeof e !== "object" || seen.has(e)) continue;
      seen.add(e);
      const data = (e as { data?: unknown }).data;
      if (typeof data === "string" && /^0x[0-9a-fA-F]*$/.test(data)) return data;
      if (typeof data === "object" && data !== null) next.push(data);
      next.push((e as { error?: unknown }).error, (e as { info?: unknown }).info, (e as { cause?: unknown }).cause);
    }
    queue = next;
  }
  return undefined;
}
