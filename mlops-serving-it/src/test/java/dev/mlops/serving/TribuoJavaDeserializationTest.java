package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.ModelLoadException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.management.BadAttributeValueExpException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import dev.mlops.serving.tribuo.internal.TribuoRunner;

/**
 * H5: the {@code tribuo-java} filter admits exactly the classes of the models Tribuo trains here, and
 * refuses gadget classes and allocation bombs before any of their code runs.
 */
class TribuoJavaDeserializationTest {
  /** Every side effect a gadget below managed to run; must stay zero. */
  static final AtomicInteger SIDE_EFFECTS = new AtomicInteger();

  private static Model<?> classifier;
  private static Model<?> regressor;

  @BeforeAll
  static void train() {
    classifier = CreditG.train(CreditG.load());
    RegressionFactory f = new RegressionFactory();
    List<org.tribuo.Example<Regressor>> examples = new ArrayList<>();
    Random rnd = new Random(1);
    for (int i = 0; i < 200; i++) {
      double x = rnd.nextGaussian();
      examples.add(new ArrayExample<>(new Regressor("y", 2 * x), new String[] {"x", "z"},
          new double[] {x, rnd.nextGaussian()}));
    }
    regressor = new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1, 0.1), 5,
        1000, 1, 42L).train(new MutableDataset<>(new ListDataSource<>(examples, f,
        new SimpleDataSourceProvenance("synthetic", f))));
  }

  @BeforeEach
  void reset() {
    SIDE_EFFECTS.set(0);
  }

  static byte[] serialize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  /** A key whose hashCode runs code, as URL's handler does in URLDNS. */
  static final class HashingKey implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int hashCode() {
      SIDE_EFFECTS.incrementAndGet();
      return 1;
    }

    @Override
    public boolean equals(Object o) {
      return o == this;
    }
  }

  /** A class whose readObject runs code: what every gadget chain starts from. */
  static final class ReadObjectGadget implements Serializable {
    private static final long serialVersionUID = 1L;

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      SIDE_EFFECTS.incrementAndGet();
      in.defaultReadObject();
    }
  }

  /** A commons-collections LazyMap stand-in: get() runs a "transformer". */
  static final class LazyMap extends AbstractMap<String, String> implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public String get(Object key) {
      SIDE_EFFECTS.incrementAndGet();
      return "transformed";
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
      SIDE_EFFECTS.incrementAndGet();
      return Set.of();
    }
  }

  /** A comparator that runs code, as the PriorityQueue chains' TransformingComparator does. */
  static final class SideEffectComparator implements Comparator<Object>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public int compare(Object a, Object b) {
      SIDE_EFFECTS.incrementAndGet();
      return 0;
    }
  }

  /** An invocation handler that runs code, as the AnnotationInvocationHandler chains do. */
  static final class SideEffectHandler implements InvocationHandler, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      SIDE_EFFECTS.incrementAndGet();
      return null;
    }
  }

  static Stream<Arguments> gadgets() throws Exception {
    HashMap<URL, String> urldns = new HashMap<>();
    urldns.put(new URL("http://mlops.invalid/"), "x");
    HashMap<HashingKey, String> hashing = new HashMap<>();
    hashing.put(new HashingKey(), "x");
    ArrayList<Object> inAllowedList = new ArrayList<>(List.of(new ReadObjectGadget()));
    PriorityQueue<Object> queue = new PriorityQueue<>(2, new SideEffectComparator());
    queue.add("a");
    queue.add("b");
    Object proxy = Proxy.newProxyInstance(TribuoJavaDeserializationTest.class.getClassLoader(),
        new Class<?>[] {Map.class}, new SideEffectHandler());
    HashMap<String, Object> lazy = new HashMap<>(Map.of("m", new LazyMap()));
    return Stream.of(
        Arguments.of("URLDNS: HashMap<URL, String>", urldns, "class java.net.URL "),
        Arguments.of("HashMap with a key whose hashCode runs code", hashing,
            "class dev.mlops.serving.TribuoJavaDeserializationTest$HashingKey "),
        Arguments.of("a readObject gadget inside an allowed ArrayList", inAllowedList,
            "class dev.mlops.serving.TribuoJavaDeserializationTest$ReadObjectGadget "),
        Arguments.of("PriorityQueue with a comparator", queue, "class java.util.PriorityQueue "),
        Arguments.of("a dynamic proxy", new ArrayList<>(List.of(proxy)), "class java.util.Map "),
        Arguments.of("BadAttributeValueExpException", new BadAttributeValueExpException("x"),
            "class javax.management.BadAttributeValueExpException "),
        Arguments.of("a commons-collections-style lazy map in an allowed HashMap", lazy,
            "class dev.mlops.serving.TribuoJavaDeserializationTest$LazyMap "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gadgets")
  void gadgetsAreRefusedBeforeAnyOfTheirCodeRuns(String what, Object gadget, String named) throws Exception {
    byte[] bytes = serialize(gadget);
    SIDE_EFFECTS.set(0);
    assertThatThrownBy(() -> TribuoRunner.parse(bytes, ModelFormats.TRIBUO_JAVA, "evil/1"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith("Refused to deserialize Tribuo model evil/1: ")
        .hasMessageContaining(named + "is not a class of a Tribuo model")
        .hasMessageEndingWith("Re-export the model in Tribuo's protobuf format (tribuo-protobuf)")
        .hasCauseInstanceOf(InvalidClassException.class);
    assertThat(SIDE_EFFECTS.get()).as("gadget code that ran").isZero();
  }

  @Test
  void theFirstRefusalIsTheGadgetClassAtItsFirstAppearance() throws Exception {
    byte[] bytes = serialize(new ArrayList<>(List.of("feature", new URL("http://mlops.invalid/"))));
    List<String> asked = new ArrayList<>();
    ObjectInputFilter filter = TribuoRunner.javaFilter(bytes.length);
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      in.setObjectInputFilter(info -> {
        ObjectInputFilter.Status s = filter.checkInput(info);
        if (info.serialClass() != null) {
          asked.add(info.serialClass().getName() + "=" + s);
        }
        return s;
      });
      assertThatThrownBy(in::readObject).isInstanceOf(InvalidClassException.class);
    }
    assertThat(asked).containsExactly("java.util.ArrayList=ALLOWED", "[Ljava.lang.Object;=ALLOWED",
        "java.net.URL=REJECTED");
  }

  /** {@code writeObject(new long[100_000_000])} without the elements: 27 bytes that declare 800 MB. */
  static byte[] arrayBomb(String descriptor, int length) {
    byte[] name = descriptor.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(25 + name.length);
    b.putShort((short) 0xACED).putShort((short) 5).put((byte) 0x75).put((byte) 0x72).putShort((short) name.length)
        .put(name).putLong(0L).put((byte) 2).putShort((short) 0).put((byte) 0x78).put((byte) 0x70).putInt(length);
    return b.array();
  }

  @Test
  void aFewBytesDeclaringAHugeArrayAreRefusedBeforeTheArrayIsAllocated() {
    byte[] bomb = arrayBomb("[J", 100_000_000);
    assertThat(bomb).hasSize(27);
    assertThatThrownBy(() -> TribuoRunner.parse(bomb, ModelFormats.TRIBUO_JAVA, "bomb/1"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith("Refused to deserialize Tribuo model bomb/1: an array of 100000000 long elements is"
            + " declared with only ");
    assertThatThrownBy(() -> TribuoRunner.parse(arrayBomb("[Ljava.lang.String;", Integer.MAX_VALUE),
        ModelFormats.TRIBUO_JAVA, "bomb/2"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("an array of 2147483647 java.lang.String elements is declared with only ");
  }

  @Test
  void nestingDeeperThanAModelNeedsIsRefused() throws Exception {
    ArrayList<Object> deep = new ArrayList<>();
    ArrayList<Object> at = deep;
    for (int i = 0; i < 100; i++) {
      ArrayList<Object> next = new ArrayList<>();
      at.add(next);
      at = next;
    }
    byte[] bytes = serialize(deep);
    assertThatThrownBy(() -> TribuoRunner.parse(bytes, ModelFormats.TRIBUO_JAVA, "deep/1"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining("objects nest 33 deep, deeper than the 32 a model needs");
  }

  @Test
  void aTruncatedModelFailsAsAModelLoadException() throws Exception {
    byte[] bytes = serialize(classifier);
    for (int cut : new int[] {1, 10, bytes.length / 2, bytes.length - 1}) {
      assertThatThrownBy(() -> TribuoRunner.parse(Arrays.copyOf(bytes, cut), ModelFormats.TRIBUO_JAVA, "cut/1"))
          .isInstanceOf(ModelLoadException.class);
    }
  }

  @Test
  void classifiersAndRegressorsTrainedHereLoadAndTheListHoldsNothingThoseModelsDoNotUse() throws Exception {
    Set<String> used = new TreeSet<>();
    for (Model<?> m : List.of(classifier, regressor)) {
      byte[] bytes = serialize(m);
      Model<?> back = TribuoRunner.parse(bytes, ModelFormats.TRIBUO_JAVA, "m/1");
      assertThat(back.getClass()).isEqualTo(m.getClass());
      assertThat(back.getFeatureIDMap().size()).isEqualTo(m.getFeatureIDMap().size());
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        in.setObjectInputFilter(info -> {
          Class<?> c = info.serialClass();
          while (c != null && c.isArray()) {
            c = c.getComponentType();
          }
          if (c != null && !c.isPrimitive()) {
            used.add(c.getName());
          }
          return ObjectInputFilter.Status.UNDECIDED;
        });
        in.readObject();
      }
    }
    // Strings travel as TC_STRING and are never shown to the filter, except as an array's elements;
    // Object[] is what a non-empty ArrayList checks before allocating its elements.
    used.add("java.lang.String");
    used.add("java.lang.Object");
    assertThat(TribuoRunner.JAVA_CLASSES).containsExactlyInAnyOrderElementsOf(used);
  }
}
