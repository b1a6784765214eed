import type {EcrPort} from '../../aws/ports.js';
import type {ImageTagInfo} from '../../domain/image-tags.js';
import type {ImageSource} from '../../domain/recipe/schema.js';
import {callAws, type CallContext} from '../core/aws-call.js';

/**
 * Every tagged image of an ECR repository, across all pages (DescribeImages pages at up to 1,000; the order
 * is not documented, so callers sort). One entry per tag.
 */
export async function listEcrTags(ecr: EcrPort, context: CallContext, image: ImageSource): Promise<ImageTagInfo[]> {
	const tags: ImageTagInfo[] = [];
	let nextToken: string | undefined;
	do {
		const page = await callAws(context, 'DescribeImages', () =>
			ecr.describeImages({
				repositoryName: image.repository,
				...(image.account === undefined ? {} : {registryId: image.account}),
				filter: {tagStatus: 'TAGGED'},
				maxResults: 1000,
				...(nextToken === undefined ? {} : {nextToken}),
			}),
		);
		for (const detail of page.imageDetails ?? []) {
			for (const tag of detail.imageTags ?? []) {
				tags.push({
					tag,
					digest: detail.imageDigest ?? '',
					...(detail.imagePushedAt ? {pushedAt: new Date(detail.imagePushedAt).getTime()} : {}),
					...(detail.imageSizeInBytes === undefined ? {} : {sizeBytes: detail.imageSizeInBytes}),
				});
			}
		}
		nextToken = page.nextToken;
	} while (nextToken);
	return tags;
}
