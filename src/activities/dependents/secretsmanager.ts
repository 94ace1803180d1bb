/**
 * Secrets Manager secrets under a customer managed key (ListSecrets: KmsKeyId). A secret without
 * KmsKeyId uses the AWS managed key aws/secretsmanager. A secret read once a quarter shows no use
 * during a soak and cannot be read again once its key is gone.
 */
import { ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { allPages, foundFor, type Found, type ListingContext } from './listing';

export async function listSecrets(ctx: ListingContext): Promise<Found[]> {
  const client = ctx.clients.secretsmanager(ctx.account, ctx.region);
  const secrets = await allPages(async (NextToken) => {
    const out = await ctx.call('SecretsManager ListSecrets', () =>
      client.send(new ListSecretsCommand({ MaxResults: 100, NextToken })),
    );
    return { items: out.SecretList, next: out.NextToken };
  });
  return secrets.flatMap((secret) =>
    secret.ARN
      ? foundFor(ctx, [secret.KmsKeyId], { type: 'secretsmanager:secret', arn: secret.ARN, probe: 'secretsmanager' })
      : [],
  );
}
