package dev.mlops.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Finds the public and protected signatures of a module's exported classes that mention a type from
 * a forbidden package: a dependency's type in the API ties every user to that dependency's version.
 * Shared by the modules' API tests (this is in mlops-core's test jar).
 *
 * <p>Exported means every class outside an {@code .internal} package and outside the packages the
 * caller excludes; only public types and their public or protected nested types count. A signature
 * is a field's type, a method's return, parameter and exception types, a constructor's parameter and
 * exception types, a record component, a type parameter's bounds, the supertypes, all with their
 * type arguments, wildcard bounds and array components.
 */
public final class PublicSignatures {
  private PublicSignatures() {}

  /**
   * The signatures of the module holding {@code anchor} that mention a type whose name starts with
   * {@code forbiddenPrefix}, one line each ({@code Class.member mentions Type}), sorted.
   *
   * @param anchor any class of the module, locating its compiled classes
   * @param excludedPackage packages left out besides the {@code .internal} ones
   * @param forbiddenPrefix a package prefix, e.g. {@code "com.fasterxml."}
   * @return the offending signatures, empty when there are none
   */
  public static List<String> mentioning(Class<?> anchor, Predicate<String> excludedPackage, String forbiddenPrefix) {
    return mentioning(exportedClasses(anchor, excludedPackage), forbiddenPrefix);
  }

  /**
   * The public and protected signatures of the given classes (not their nested ones) that mention a
   * type whose name starts with {@code forbiddenPrefix}, one line each, sorted.
   *
   * @param classes the classes
   * @param forbiddenPrefix a package prefix, e.g. {@code "com.fasterxml."}
   * @return the offending signatures, empty when there are none
   */
  public static List<String> mentioning(Collection<Class<?>> classes, String forbiddenPrefix) {
    List<String> out = new ArrayList<>();
    for (Class<?> c : classes) {
      check(c, forbiddenPrefix, out);
    }
    return out.stream().distinct().sorted().toList();
  }

  /**
   * The public types of the module holding {@code anchor} outside {@code .internal} packages and the
   * excluded ones, with their public and protected nested types.
   *
   * @param anchor any class of the module
   * @param excludedPackage packages left out besides the {@code .internal} ones
   * @return the classes
   */
  public static List<Class<?>> exportedClasses(Class<?> anchor, Predicate<String> excludedPackage) {
    Path root;
    try {
      root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the classes of " + anchor, e);
    }
    List<String> entries = new ArrayList<>();
    try {
      if (Files.isDirectory(root)) {
        try (Stream<Path> files = Files.walk(root)) {
          files.forEach(p -> entries.add(root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/")));
        }
      } else {
        // a reactor build past the package phase puts the module's jar on the class path
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(root.toFile())) {
          jar.stream().forEach(e -> entries.add(e.getName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Class<?>> out = new ArrayList<>();
    for (String rel : entries) {
      if (!rel.endsWith(".class") || rel.contains("$") || rel.endsWith("package-info.class")
          || rel.endsWith("module-info.class") || rel.startsWith("META-INF/")) {
        continue;
      }
      String name = rel.substring(0, rel.length() - ".class".length()).replace('/', '.');
      String pkg = name.lastIndexOf('.') < 0 ? "" : name.substring(0, name.lastIndexOf('.'));
      if (pkg.endsWith(".internal") || pkg.contains(".internal.") || excludedPackage.test(pkg)) {
        continue;
      }
      Class<?> c = load(name, anchor.getClassLoader());
      if (Modifier.isPublic(c.getModifiers())) {
        addWithNested(c, out);
      }
    }
    return out;
  }

  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot load " + name, e);
    }
  }

  private static void addWithNested(Class<?> c, List<Class<?>> out) {
    out.add(c);
    for (Class<?> n : c.getDeclaredClasses()) {
      if (visible(n.getModifiers())) {
        addWithNested(n, out);
      }
    }
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  private static void check(Class<?> c, String prefix, List<String> out) {
    String owner = c.getName();
    mentions(c.getGenericSuperclass(), prefix, owner + " extends", out);
    for (Type t : c.getGenericInterfaces()) {
      mentions(t, prefix, owner + " implements", out);
    }
    for (TypeVariable<?> v : c.getTypeParameters()) {
      for (Type b : v.getBounds()) {
        mentions(b, prefix, owner + "<" + v.getName() + ">", out);
      }
    }
    if (c.isRecord()) {
      for (RecordComponent rc : c.getRecordComponents()) {
        mentions(rc.getGenericType(), prefix, owner + "." + rc.getName() + " (record component)", out);
      }
    }
    for (java.lang.reflect.Field f : c.getDeclaredFields()) {
      if (visible(f.getModifiers()) && !f.isSynthetic()) {
        mentions(f.getGenericType(), prefix, owner + "." + f.getName(), out);
      }
    }
    List<Executable> executables = new ArrayList<>(List.of(c.getDeclaredMethods()));
    executables.addAll(List.of(c.getDeclaredConstructors()));
    for (Executable e : executables) {
      if (!visible(e.getModifiers()) || e.isSynthetic() || e instanceof Method m && m.isBridge()) {
        continue;
      }
      String where = owner + "." + describe(e);
      if (e instanceof Method m) {
        mentions(m.getGenericReturnType(), prefix, where, out);
      }
      for (Type t : e.getGenericParameterTypes()) {
        mentions(t, prefix, where, out);
      }
      for (Type t : e.getGenericExceptionTypes()) {
        mentions(t, prefix, where, out);
      }
      for (TypeVariable<?> v : e.getTypeParameters()) {
        for (Type b : v.getBounds()) {
          mentions(b, prefix, where, out);
        }
      }
    }
  }

  private static String describe(Member m) {
    return (m instanceof Constructor<?> ? "<init>" : m.getName()) + "(..)";
  }

  private static void mentions(Type t, String prefix, String where, List<String> out) {
    Set<String> names = new HashSet<>();
    collect(t, names, new HashSet<>());
    names.stream().filter(n -> n.startsWith(prefix)).sorted().forEach(n -> out.add(where + " mentions " + n));
  }

  private static void collect(Type t, Set<String> names, Set<Type> seen) {
    if (t == null || !seen.add(t)) {
      return;
    }
    if (t instanceof Class<?> c) {
      Class<?> e = c;
      while (e.isArray()) {
        e = e.getComponentType();
      }
      names.add(e.getName());
    } else if (t instanceof ParameterizedType p) {
      collect(p.getRawType(), names, seen);
      collect(p.getOwnerType(), names, seen);
      for (Type a : p.getActualTypeArguments()) {
        collect(a, names, seen);
      }
    } else if (t instanceof WildcardType w) {
      for (Type b : w.getUpperBounds()) {
        collect(b, names, seen);
      }
      for (Type b : w.getLowerBounds()) {
        collect(b, names, seen);
      }
    } else if (t instanceof GenericArrayType g) {
      collect(g.getGenericComponentType(), names, seen);
    } else if (t instanceof TypeVariable<?> v) {
      for (Type b : v.getBounds()) {
        collect(b, names, seen);
      }
    }
  }
}
