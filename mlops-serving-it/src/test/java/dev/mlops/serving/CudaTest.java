package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import dev.mlops.core.Row;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.mlops.serving.onnx.FallbackPolicy;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.onnx.internal.OnnxRunner;

/**
 * CUDA execution: runs only with the {@code -Pgpu} build (onnxruntime_gpu) on a machine with an NVIDIA
 * GPU; elsewhere it is skipped with the reason. {@code scripts/gpu-check.sh} runs it.
 */
class CudaTest {

  @BeforeEach
  void requireGpu() {
    Assumptions.assumeTrue(OnnxRunnerTest.cudaProvider(),
        "this ONNX Runtime build has no CUDA provider (providers: " + OrtEnvironment.getAvailableProviders()
            + "); build with -Pgpu (scripts/gpu-check.sh) to run the CUDA tests");
    Assumptions.assumeTrue(OnnxRunnerTest.gpuPresent(),
        "no NVIDIA GPU on this machine (/dev/nvidia0 and /proc/driver/nvidia are absent)");
  }

  @Test
  void cudaPredictorAgreesWithCpuAndReportsTheGpu() {
    List<Row> rows = OnnxRunnerTest.rows(256, 3);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OnnxOptions gpu = OnnxOptions.builder().device(Device.cuda(0), FallbackPolicy.FAIL).build();
    OnnxRunner cudaRunner = OnnxRunnerTest.classifier(gpu);
    try (OnnxRunner cpu = OnnxRunnerTest.classifier(OnnxOptions.defaults());
        DefaultPredictor p = new DefaultPredictor(cudaRunner, "toy", "1", cudaRunner.fellBack(),
            BatchingOptions.disabled(), registry, ForkJoinPool.commonPool(), System::nanoTime)) {
      assertThat(p.device()).isEqualTo(Device.cuda(0));
      assertThat(cudaRunner.fellBack()).isFalse();
      List<Prediction> expected = cpu.run(rows);
      List<Prediction> got = cudaRunner.run(rows);
      for (int i = 0; i < rows.size(); i++) {
        for (String l : OnnxRunnerTest.LABELS) {
          assertThat(got.get(i).asClassification().scores().get(l))
              .isCloseTo(expected.get(i).asClassification().scores().get(l), within(1e-4));
        }
      }
      assertThat(registry.get("mlops.serving.device").tag("device", "cuda:0").gauge().value()).isEqualTo(1.0);
      assertThat(registry.get("mlops.serving.fallbacks").counter().count()).isZero();
    }
  }
}
