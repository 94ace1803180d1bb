/** Verbs that talk to Temporal connect from the standard environment and always close again. */
import { connectClient, temporalSettings, type TemporalClientHandle } from '../client/connection';

export async function withTemporal<T>(
  body: (temporal: TemporalClientHandle) => Promise<T>,
  env = process.env,
): Promise<T> {
  const temporal = await connectClient(temporalSettings({}, env));
  try {
    return await body(temporal);
  } finally {
    await temporal.close();
  }
}
