#!/usr/bin/env bash
# GPU check for mlops-serving, in one go, on a machine with an NVIDIA GPU, CUDA 12 and cuDNN 9 (what
# the onnxruntime_gpu build in the parent POM needs), Java 17+ and Maven 3.8+:
#   1. builds mlops-serving with -Pgpu, which swaps com.microsoft.onnxruntime:onnxruntime for
#      onnxruntime_gpu (same version), and runs its CUDA tests (they skip with a reason without a GPU);
#   2. runs the GPU batch benchmark on the CPU and on cuda:0 (device policy FAIL, so a CPU figure is
#      never reported as a GPU one), with the GPU build's native libraries first on the class path.
# Results: target/gpu-check/ (test reports, JMH JSON and text). Put the figures in docs/BENCHMARKS.md
# with the card named (the script prints nvidia-smi's line for it).
set -euo pipefail
cd "$(dirname "$0")/.."
out=target/gpu-check
mkdir -p "$out"

echo "== GPU"
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$out/gpu.txt"
else
  echo "nvidia-smi not found: no NVIDIA driver here; the CUDA tests will skip and the cuda benchmark will fail" \
    | tee "$out/gpu.txt"
fi

echo "== build with -Pgpu and run the CUDA tests"
mvn -B -ntp -Pgpu -pl mlops-serving -am install -DskipTests
mvn -B -ntp -Pgpu -pl mlops-serving verify -Dtest='CudaTest,OnnxRunnerTest' -Dsurefire.failIfNoSpecifiedTests=false \
  | tee "$out/cuda-tests.txt"
cp mlops-serving/target/surefire-reports/TEST-dev.mlops.serving.CudaTest.xml "$out/" 2>/dev/null || true
if grep -q 'skipped="1"' "$out/TEST-dev.mlops.serving.CudaTest.xml" 2>/dev/null; then
  echo "WARNING: the CUDA test was skipped; see the reason in $out/TEST-dev.mlops.serving.CudaTest.xml"
fi

echo "== GPU batch benchmark (CPU vs cuda:0)"
mvn -B -ntp -pl benchmarks -am package -DskipTests
version=$(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' pom.xml)
gpujar="$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu/$version/onnxruntime_gpu-$version.jar"
# The GPU jar first: its classes equal the CPU jar's (same version) and its native libraries, found
# first on the class path, carry the CUDA provider. JMH forks inherit the class path.
java -cp "$gpujar:benchmarks/target/benchmarks.jar" org.openjdk.jmh.Main 'serving.GpuBatchBenchmark' \
  -p device=cpu,cuda -rf json -rff "$out/gpu-batch.json" | tee "$out/gpu-batch.txt"
echo "== done: results in $out"
