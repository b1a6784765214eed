/**
 * The task sizes Fargate accepts: CPU units → allowed memory (MiB).
 * Source: botocore ECS model, RegisterTaskDefinitionRequest.memory (8 and 16 vCPU need Linux platform 1.4.0+).
 */
const sizes: ReadonlyArray<{cpu: number; memory: readonly number[]}> = [
	{cpu: 256, memory: [512, 1024, 2048]},
	{cpu: 512, memory: range(1024, 4096, 1024)},
	{cpu: 1024, memory: range(2048, 8192, 1024)},
	{cpu: 2048, memory: range(4096, 16_384, 1024)},
	{cpu: 4096, memory: range(8192, 30_720, 1024)},
	{cpu: 8192, memory: range(16_384, 61_440, 4096)},
	{cpu: 16_384, memory: range(32_768, 122_880, 8192)},
];

function range(from: number, to: number, step: number): number[] {
	const out: number[] = [];
	for (let m = from; m <= to; m += step) out.push(m);
	return out;
}

export const fargateCpuValues: readonly number[] = sizes.map(s => s.cpu);

/** Memory values Fargate accepts for a CPU value, or undefined when the CPU value itself is not valid. */
export function fargateMemoryFor(cpu: number): readonly number[] | undefined {
	return sizes.find(s => s.cpu === cpu)?.memory;
}

/** Describes the allowed memory for a CPU value in words, e.g. "2048 to 8192 MiB in steps of 1024". */
export function describeMemoryFor(cpu: number): string {
	const memory = fargateMemoryFor(cpu);
	if (!memory) return 'none';
	if (memory.length <= 3) return `${memory.join(', ')} MiB`;
	const step = memory[1]! - memory[0]!;
	return `${memory[0]} to ${memory.at(-1)} MiB in steps of ${step}`;
}
