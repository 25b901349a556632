import { ERRORS, ReleaseError } from "../errors.js";
import { postJsonRpc } from "../rpc/post-json-rpc.js";
import { redactUrl } from "../rpc/redact-url.js";

export interface ProbeForkSourceParameters {
  url: string;
  /** The block to fork at; the head when omitted. */
  block?: number;
  timeoutMs?: number;
}

export interface ForkSource {
  chainId: number;
  head: number;
  /** The block the fork will start from (pinned, so a rehearsal can be repeated exactly). */
  blockNumber: number;
  /** The URL as reports may show it. */
  redacted: string;
}

/**
 * Asks the fork source for its chainId and head before a fork is created, so an unreachable URL
 * (RS6001) or a block past the head (RS6003) is a clear error rather than a failure deep in the
 * EVM; the caller compares the chainId with the records (RS6002).
 *
 * JSON-RPC: eth_chainId, eth_blockNumber.
 */
export async function probeForkSource({
  url,
  block,
  timeoutMs = 10_000,
}: ProbeForkSourceParameters): Promise<ForkSource> {
  const redacted = redactUrl(url);
  const ask = async (method: string): Promise<number> => {
    const result = await postJsonRpc({ url, payload: { jsonrpc: "2.0", id: 1, method, params: [] }, timeoutMs });
    const value = result.type === "response" && "result" in result.body ? result.body.result : undefined;
    if (typeof value !== "string") {
      const reason =
        result.type === "exception"
          ? result.timedOut
            ? `no answer within ${timeoutMs} ms`
            : String((result.error as Error).cause ?? result.error)
          : result.type === "http-status"
            ? `HTTP ${result.status}`
            : `unexpected answer to ${method}`;
      throw new ReleaseError(ERRORS.REHEARSAL.FORK_UNREACHABLE, { source: redacted, reason });
    }
    return Number(BigInt(value));
  };
  const chainId = await ask("eth_chainId");
  const head = await ask("eth_blockNumber");
  if (block !== undefined && block > head) {
    throw new ReleaseError(ERRORS.REHEARSAL.BLOCK_PAST_HEAD, { block, source: redacted, head });
  }
  return { chainId, head, blockNumber: block ?? head, redacted };
}
