/** A CloudTrail trail: only what decides whether EventBridge gets the account's events. */
export interface TrailRecord {
  account: string;
  homeRegion: string;
  name: string;
  arn: string;
  s3BucketName: string;
  multiRegion: boolean;
  organization: boolean;
  includeGlobalServiceEvents: boolean;
  logging: boolean;
  startLoggingTime?: number;
  stopLoggingTime?: number;
  createdAt: number;
}
