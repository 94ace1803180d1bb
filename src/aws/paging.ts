/**
 * The paging loops of AWS list calls, written once. `allPages` follows a token (NextToken, Marker,
 * nextToken…) until the service stops giving one; `kmsPages` reads KMS's own style, where a page
 * says `Truncated` and, if so, the `NextMarker` to ask with (AWS KMS API Reference, e.g. ListKeys).
 */
export async function allPages<T>(
  page: (token: string | undefined) => Promise<{ items: T[] | undefined; next: string | undefined }>,
): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const out = await page(token);
    items.push(...(out.items ?? []));
    // An empty token ends a listing as an absent one does (some services answer "").
    token = out.next || undefined;
  } while (token);
  return items;
}

/** A KMS list call's page: its items, whether more follow, and the marker to ask for them. */
export interface KmsPage {
  Truncated?: boolean;
  NextMarker?: string;
}

/** Every item of a KMS list call (ListKeys, ListAliases, ListGrants, ListResourceTags, …), page by page. */
export function kmsPages<P extends KmsPage, T>(
  page: (marker: string | undefined) => Promise<P>,
  items: (page: P) => T[] | undefined,
): Promise<T[]> {
  return allPages(async (marker) => {
    const out = await page(marker);
    return { items: items(out), next: out.Truncated ? out.NextMarker : undefined };
  });
}
