// Dedup across the nodes of a Wazuh cluster: who sends an alert whose dedup key another node may have seen too.

/** What a node does with an alert its own noise control would send. */
export type ClaimDecision = 'send' | 'suppressed';

/**
 * Claims on dedup keys shared by every node (the cluster's shared state). `claim` resolves `send`
 * when this node holds the key's claim now (a short lease) or when the shared state cannot be reached
 * (fail open: a duplicate rather than a miss); `suppressed` when another node delivered an alert with
 * the key within its window. While another node's claim is in flight it waits, at most that claim's
 * lease: a node that dies mid-send loses nothing, the waiting node takes the key after the lease.
 * `delivered` marks the key delivered for the window (the service accepted it); `release` gives the
 * claim up (not delivered: the next node's alert with the key goes out). Neither ever throws.
 */
export interface DedupClaims {
  claim(blockId: string, key: string, alertId: string | undefined, windowMs: number): Promise<ClaimDecision>;
  delivered(blockId: string, key: string, alertId: string | undefined, windowMs: number): void;
  release(blockId: string, key: string): void;
}
