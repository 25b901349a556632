/** The toolkit's shared vocabulary: every module speaks of addresses and hex data the same way. */

/** A checksummed 20-byte address, 0x-prefixed. */
export type Address = `0x${string}`;

/** 0x-prefixed hex data: calldata, hashes, signatures. */
export type Hex = `0x${string}`;
