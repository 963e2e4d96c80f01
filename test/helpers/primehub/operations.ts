/**
 * The operations a sync sends to PrimeHub, word for word as agreed with the sync's author, so
 * that the schema test and the stand-in's test prove these exact texts and not look-alikes.
 */

/** One read of everything the sync compares: every image with its access, and every group. */
export const READ_PRIMEHUB = `query ReadPrimeHub {
  images { id name displayName description type url urlForGpu useImagePullSecret groupName global groups { id name } }
  groups { id name displayName }
}`;

/**
 * The shape of one chunk of changes: each change an aliased field with its own variables, so
 * that one request carries many and PrimeHub runs them in the order written.
 */
export const SYNC_MUTATION = `mutation Sync($a0: ImageCreateInput!, $a1w: ImageWhereUniqueInput!, $a1: ImageUpdateInput!, $a2w: ImageWhereUniqueInput!) {
  a0: createImage(data: $a0) { id }
  a1: updateImage(where: $a1w, data: $a1) { id }
  a2: deleteImage(where: $a2w) { id }
}`;
