import { z } from 'zod';

/** A webhook address: http(s) with a host, no credentials in it. */
const ZUrl = z
  .url({ protocol: /^https?$/, hostname: z.regexes.hostname })
  .max(2000)
  .refine((u) => !/^[a-z]+:\/\/[^/]*@/i.test(u), 'no user name or password in the URL 地址中不得包含账号口令');

export const ZSubscriptionInput = z.strictObject({ url: ZUrl });
export type TSubscriptionInput = z.infer<typeof ZSubscriptionInput>;

export const ZSubscriptionPatch = z.strictObject({ url: ZUrl.optional(), status: z.enum(['active', 'paused']).optional() });
export type TSubscriptionPatch = z.infer<typeof ZSubscriptionPatch>;

/** `GET /grants/{id}/changes`: after the cursor of the previous answer (from the start of the data when absent). */
export const ZFeedQuery = z.object({
  after: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type TFeedQuery = z.infer<typeof ZFeedQuery>;

export const ZDeliveryQuery = z.object({
  status: z.enum(['pending', 'delivered', 'dead', 'dropped']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type TDeliveryQuery = z.infer<typeof ZDeliveryQuery>;
