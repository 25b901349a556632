/**
 * The JSON-RPC 2.0 shapes the failover layer speaks, and the one provider method the core needs.
 * They match Hardhat's `hardhat/types/providers` structurally, so the plugin passes Hardhat's
 * requests and providers straight in while the core stays Hardhat-free.
 */
export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: number | string;
  method: string;
  params?: unknown[] | object;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export type JsonRpcResponse =
  | { jsonrpc: "2.0"; id: number | string; result: unknown }
  | { jsonrpc: "2.0"; id: number | string | null; error: JsonRpcErrorObject };

/** EIP-1193's `request`: what Hardhat's `connection.provider` and viem's clients offer. */
export interface Eip1193Provider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

export function isJsonRpcResponse(value: unknown): value is JsonRpcResponse {
  if (typeof value !== "object" || value === null) return false;
  const body = value as Record<string, unknown>;
  if (body.jsonrpc !== "2.0" || !("id" in body)) return false;
  if ("result" in body) return true;
  const error = body.error as Record<string, unknown> | undefined;
  return typeof error === "object" && error !== null && typeof error.code === "number";
}
