import type { KmsHandler } from './context';
import { aliasHandlers } from './aliases';
import { cryptoHandlers } from './crypto';
import { deletionHandlers } from './deletion';
import { grantHandlers } from './grants';
import { keyHandlers } from './keys';
import { multiRegionHandlers } from './multi-region';
import { policyHandlers } from './policy';
import { rotationHandlers } from './rotation';
import { signingHandlers } from './signing';
import { tagHandlers } from './tags';
import { usageHandlers } from './usage';

/** Every KMS operation the emulator answers, by the name in `X-Amz-Target: TrentService.<name>`. */
export const kmsHandlers: Record<string, KmsHandler> = {
  ...keyHandlers,
  ...deletionHandlers,
  ...usageHandlers,
  ...cryptoHandlers,
  ...tagHandlers,
  ...aliasHandlers,
  ...grantHandlers,
  ...signingHandlers,
  ...multiRegionHandlers,
  ...policyHandlers,
  ...rotationHandlers,
};
