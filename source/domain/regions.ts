/*
 * The AWS Regions the target wizard offers, with their names, as listed on the public AWS page "AWS Regions"
 * (https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html), the commercial Regions
 * first, then AWS GovCloud (US) and China. Regions that are announced but not open, and the isolated
 * partitions, are left out. A Region missing here (a newer one) can still be typed in the wizard: any code
 * that passes `checkRegion` is accepted. Pure data.
 */

/**
 * The shape of a Region code: a geography (`eu`, `ap`, `us`, …), an optional partition part (`gov`, `iso`,
 * `isob`…), a direction (`west`, `southeast`, `central`…) and a number: `eu-west-1`, `us-gov-west-1`,
 * `ap-southeast-7`. Newer Regions keep this shape, so a code that fits it and is not listed below is still
 * allowed; `xx-nowhere-9` is not.
 */
export const regionCodePattern = /^(?:af|ap|ca|cn|eu|il|me|mx|sa|us)(?:-(?:gov|iso[a-z]?))?-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)-\d{1,2}$/;

/** An AWS Region: its code (`eu-west-1`) and the name AWS shows for it (`Europe (Ireland)`). */
export type AwsRegion = {code: string; name: string};

/** The Regions, ordered by code within each partition. */
export const awsRegions: readonly AwsRegion[] = [
	{code: 'af-south-1', name: 'Africa (Cape Town)'},
	{code: 'ap-east-1', name: 'Asia Pacific (Hong Kong)'},
	{code: 'ap-east-2', name: 'Asia Pacific (Taipei)'},
	{code: 'ap-northeast-1', name: 'Asia Pacific (Tokyo)'},
	{code: 'ap-northeast-2', name: 'Asia Pacific (Seoul)'},
	{code: 'ap-northeast-3', name: 'Asia Pacific (Osaka)'},
	{code: 'ap-south-1', name: 'Asia Pacific (Mumbai)'},
	{code: 'ap-south-2', name: 'Asia Pacific (Hyderabad)'},
	{code: 'ap-southeast-1', name: 'Asia Pacific (Singapore)'},
	{code: 'ap-southeast-2', name: 'Asia Pacific (Sydney)'},
	{code: 'ap-southeast-3', name: 'Asia Pacific (Jakarta)'},
	{code: 'ap-southeast-4', name: 'Asia Pacific (Melbourne)'},
	{code: 'ap-southeast-5', name: 'Asia Pacific (Malaysia)'},
	{code: 'ap-southeast-6', name: 'Asia Pacific (New Zealand)'},
	{code: 'ap-southeast-7', name: 'Asia Pacific (Thailand)'},
	{code: 'ca-central-1', name: 'Canada (Central)'},
	{code: 'ca-west-1', name: 'Canada West (Calgary)'},
	{code: 'eu-central-1', name: 'Europe (Frankfurt)'},
	{code: 'eu-central-2', name: 'Europe (Zurich)'},
	{code: 'eu-north-1', name: 'Europe (Stockholm)'},
	{code: 'eu-south-1', name: 'Europe (Milan)'},
	{code: 'eu-south-2', name: 'Europe (Spain)'},
	{code: 'eu-west-1', name: 'Europe (Ireland)'},
	{code: 'eu-west-2', name: 'Europe (London)'},
	{code: 'eu-west-3', name: 'Europe (Paris)'},
	{code: 'il-central-1', name: 'Israel (Tel Aviv)'},
	{code: 'me-central-1', name: 'Middle East (UAE)'},
	{code: 'me-south-1', name: 'Middle East (Bahrain)'},
	{code: 'mx-central-1', name: 'Mexico (Central)'},
	{code: 'sa-east-1', name: 'South America (São Paulo)'},
	{code: 'us-east-1', name: 'US East (N. Virginia)'},
	{code: 'us-east-2', name: 'US East (Ohio)'},
	{code: 'us-west-1', name: 'US West (N. California)'},
	{code: 'us-west-2', name: 'US West (Oregon)'},
	{code: 'us-gov-east-1', name: 'AWS GovCloud (US-East)'},
	{code: 'us-gov-west-1', name: 'AWS GovCloud (US-West)'},
	{code: 'cn-north-1', name: 'China (Beijing)'},
	{code: 'cn-northwest-1', name: 'China (Ningxia)'},
];

/** The name of a Region code, or undefined when the code is not listed. */
export function regionName(code: string): string | undefined {
	return awsRegions.find(region => region.code === code)?.name;
}
