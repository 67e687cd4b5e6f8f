package dev.bulwark.codegen;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Generates the pass-through half of Bulwark's JDBC wrappers at compile time.
 *
 * <p><b>Why generation.</b> The six wrapped JDBC interfaces have about 670 distinct methods, of which
 * under fifty have behaviour (close, unwrap, execute hooks, returning wrappers). A
 * {@code java.lang.reflect.Proxy} would put a reflective dispatch, an argument array and boxing on every
 * {@code ResultSet.getInt} and {@code PreparedStatement.setString}; hand-written delegation is thousands of
 * lines that nobody reads and that drift with each JDK. HikariCP generates its proxies at build time
 * (Javassist); we do the same with a standard annotation processor, so the generated code is plain Java
 * under {@code target/generated-sources/annotations}, visible to debuggers, and each generated method is
 * a field read, an interface call and a free try/catch.
 *
 * <p><b>What is generated.</b> For an abstract class annotated {@link GenerateDelegates} (or
 * {@link GenerateRefusals}), a package-private {@code final class <Name>Impl} in the same package that
 * <ul>
 *   <li>copies every non-private constructor (calling {@code super});</li>
 *   <li>binds a single type parameter of the class, if any, to the annotated interface;</li>
 *   <li>implements every instance method of the interface and its super-interfaces, abstract or default,
 *       that no class in the hierarchy implements: delegating to {@code delegate} and routing each
 *       {@code SQLException} through the class's {@code checkException}, or, for refusals, throwing
 *       {@code refusal()};</li>
 *   <li>passes results through the class's {@link WrapsResult} method of the same type, if there is one.</li>
 * </ul>
 *
 * <p><b>Adding a wrapped type.</b> Write {@code abstract class FooWrapper implements Foo} with a
 * {@code delegate} field, {@code checkException(SQLException)} and the methods that have behaviour;
 * annotate it {@code @GenerateDelegates(Foo.class)}; create instances of {@code FooWrapperImpl}. A method
 * of {@code Foo} that later needs behaviour is simply written in {@code FooWrapper}: the generator then
 * leaves it alone.
 */
@SupportedAnnotationTypes({"dev.bulwark.codegen.GenerateDelegates", "dev.bulwark.codegen.GenerateRefusals"})
public final class DelegateProcessor extends AbstractProcessor {

    private enum Mode { DELEGATE, REFUSE }

    private static final String SQL_EXCEPTION = "java.sql.SQLException";

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement annotation : annotations) {
            Mode mode = annotation.getSimpleName().contentEquals("GenerateRefusals") ? Mode.REFUSE : Mode.DELEGATE;
            for (Element element : round.getElementsAnnotatedWith(annotation)) {
                generate((TypeElement) element, mode, interfaceOf(element, annotation),
                        watchedOf(element, annotation));
            }
        }
        return true;
    }

    private void generate(TypeElement type, Mode mode, DeclaredType iface, Set<String> watched) {
        Elements elements = processingEnv.getElementUtils();
        Types types = processingEnv.getTypeUtils();
        if (!type.getModifiers().contains(Modifier.ABSTRACT) || type.getTypeParameters().size() > 1) {
            error(type, "must be an abstract class with at most one type parameter (the delegate type)");
            return;
        }
        DeclaredType superType = type.getTypeParameters().isEmpty()
                ? (DeclaredType) type.asType() : types.getDeclaredType(type, iface);
        if (!types.isAssignable(superType, iface)) {
            error(type, "does not implement " + iface);
            return;
        }
        String pkg = elements.getPackageOf(type).getQualifiedName().toString();
        String name = type.getSimpleName() + "Impl";
        StringBuilder out = new StringBuilder(16_384)
                .append("package ").append(pkg).append(";\n\n")
                .append("@javax.annotation.processing.Generated(\"").append(getClass().getName()).append("\")\n")
                .append("@SuppressWarnings(\"deprecation\")\n")
                .append("final class ").append(name).append(" extends ").append(superType).append(" {\n");
        for (Element member : type.getEnclosedElements()) {
            if (member.getKind() == ElementKind.CONSTRUCTOR && !member.getModifiers().contains(Modifier.PRIVATE)) {
                ExecutableType ctor = (ExecutableType) types.asMemberOf(superType, member);
                out.append("\n    ").append(name).append(parameters(ctor, (ExecutableElement) member))
                        .append(throwsClause(ctor)).append(" {\n        super(")
                        .append(arguments(ctor)).append(");\n    }\n");
            }
        }
        List<ExecutableElement> resultWrappers = resultWrappers(type);
        for (ExecutableElement method : unimplemented(type, (TypeElement) iface.asElement())) {
            ExecutableType signature = (ExecutableType) types.asMemberOf(superType, method);
            String body = mode == Mode.REFUSE
                    ? refusal(method, signature)
                    : delegation(method, signature, superType, resultWrappers,
                            watched.contains("*") || watched.contains(method.getSimpleName().toString()));
            out.append("\n    @Override\n    public ").append(typeParameters(method))
                    .append(signature.getReturnType()).append(' ').append(method.getSimpleName())
                    .append(parameters(signature, method)).append(throwsClause(signature))
                    .append(" {\n        ").append(body).append("\n    }\n");
        }
        out.append("}\n");
        try (Writer writer = processingEnv.getFiler().createSourceFile(pkg + "." + name, type).openWriter()) {
            writer.write(out.toString());
        } catch (IOException e) {
            error(type, "cannot write " + name + ": " + e.getMessage());
        }
    }

    /**
     * The interface's instance methods, abstract or default, that no class in the annotated class's
     * hierarchy implements, one per signature. Default methods are included on purpose: JDBC's defaults
     * (executeLargeUpdate, enquoteIdentifier, setObject with SQLType, beginRequest, ...) mostly throw or
     * guess, while the driver behind the delegate may implement them properly.
     */
    private List<ExecutableElement> unimplemented(TypeElement type, TypeElement iface) {
        Elements elements = processingEnv.getElementUtils();
        Types types = processingEnv.getTypeUtils();
        List<ExecutableElement> implementedByClasses = new ArrayList<>();
        for (Element member : elements.getAllMembers(type)) {
            if (member.getKind() == ElementKind.METHOD && !member.getModifiers().contains(Modifier.ABSTRACT)
                    && member.getEnclosingElement().getKind() == ElementKind.CLASS) {
                implementedByClasses.add((ExecutableElement) member);
            }
        }
        Map<String, ExecutableElement> result = new LinkedHashMap<>();
        for (Element member : elements.getAllMembers(iface)) {
            Set<Modifier> modifiers = member.getModifiers();
            if (member.getKind() != ElementKind.METHOD || modifiers.contains(Modifier.STATIC)
                    || modifiers.contains(Modifier.PRIVATE)
                    || member.getEnclosingElement().getKind() != ElementKind.INTERFACE) {
                continue;
            }
            ExecutableElement method = (ExecutableElement) member;
            boolean implemented = implementedByClasses.stream().anyMatch(c ->
                    c.getSimpleName().equals(method.getSimpleName()) && elements.overrides(c, method, type));
            String key = method.getSimpleName() + method.getParameters().stream()
                    .map(p -> types.erasure(p.asType()).toString()).collect(Collectors.joining(",", "(", ")"));
            if (!implemented) {
                result.putIfAbsent(key, method);
            }
        }
        return List.copyOf(result.values());
    }

    private List<ExecutableElement> resultWrappers(TypeElement type) {
        List<ExecutableElement> wrappers = new ArrayList<>();
        for (Element member : processingEnv.getElementUtils().getAllMembers(type)) {
            boolean marked = member.getAnnotationMirrors().stream().anyMatch(a ->
                    a.getAnnotationType().toString().equals(WrapsResult.class.getName()));
            if (marked && member.getKind() == ElementKind.METHOD) {
                ExecutableElement method = (ExecutableElement) member;
                if (method.getParameters().size() != 1) {
                    error(member, "a @WrapsResult method takes exactly one argument");
                } else {
                    wrappers.add(method);
                }
            }
        }
        return wrappers;
    }

    private String delegation(ExecutableElement method, ExecutableType signature, DeclaredType owner,
                              List<ExecutableElement> resultWrappers, boolean watched) {
        Types types = processingEnv.getTypeUtils();
        String call = "delegate." + method.getSimpleName() + "(" + arguments(signature) + ")";
        TypeMirror returned = signature.getReturnType();
        for (ExecutableElement wrapper : resultWrappers) {
            TypeMirror wraps = ((ExecutableType) types.asMemberOf(owner, wrapper)).getReturnType();
            if (returned.getKind() == TypeKind.DECLARED && types.isSameType(returned, wraps)) {
                call = wrapper.getSimpleName() + "(" + call + ")";
            }
        }
        String statement = returned.getKind() == TypeKind.VOID ? call + ";" : "return " + call + ";";
        if (!declaresSqlException(signature)) {
            return watched ? "enterCall();\n        try {\n            " + statement
                    + "\n        } finally {\n            exitCall();\n        }" : statement;
        }
        return (watched ? "enterCall();\n        " : "") + "try {\n            " + statement
                + "\n        } catch (" + SQL_EXCEPTION + " e) {\n            throw checkException(e);\n        }"
                + (watched ? " finally {\n            exitCall();\n        }" : "");
    }

    private String refusal(ExecutableElement method, ExecutableType signature) {
        if (!declaresSqlException(signature)) {
            error(method, "cannot be refused: it does not declare SQLException; implement it by hand");
        }
        return "throw refusal();";
    }

    private static boolean declaresSqlException(ExecutableType signature) {
        return signature.getThrownTypes().stream().anyMatch(t -> t.toString().equals(SQL_EXCEPTION));
    }

    private static String typeParameters(ExecutableElement method) {
        if (method.getTypeParameters().isEmpty()) {
            return "";
        }
        List<String> declared = new ArrayList<>();
        for (TypeParameterElement parameter : method.getTypeParameters()) {
            List<String> bounds = parameter.getBounds().stream().map(TypeMirror::toString)
                    .filter(b -> !b.equals("java.lang.Object")).toList();
            declared.add(parameter.getSimpleName() + (bounds.isEmpty() ? "" : " extends " + String.join(" & ", bounds)));
        }
        return "<" + String.join(", ", declared) + "> ";
    }

    private static String parameters(ExecutableType signature, ExecutableElement element) {
        List<? extends TypeMirror> types = signature.getParameterTypes();
        List<String> declared = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            String type = types.get(i).toString();
            if (element.isVarArgs() && i == types.size() - 1) {
                type = type.substring(0, type.length() - 2) + "...";
            }
            declared.add(type + " p" + i);
        }
        return "(" + String.join(", ", declared) + ")";
    }

    private static String arguments(ExecutableType signature) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < signature.getParameterTypes().size(); i++) {
            names.add("p" + i);
        }
        return String.join(", ", names);
    }

    private static String throwsClause(ExecutableType signature) {
        return signature.getThrownTypes().isEmpty() ? "" : " throws " + signature.getThrownTypes().stream()
                .map(TypeMirror::toString).collect(Collectors.joining(", "));
    }

    private DeclaredType interfaceOf(Element element, TypeElement annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (mirror.getAnnotationType().asElement().equals(annotation)) {
                for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                        : mirror.getElementValues().entrySet()) {
                    if (entry.getKey().getSimpleName().contentEquals("value")) {
                        return (DeclaredType) entry.getValue().getValue();
                    }
                }
            }
        }
        throw new IllegalStateException("no value on @" + annotation.getSimpleName() + " of " + element);
    }

    /** The method names of the annotation's {@code watched} element (empty for refusals, or when not given). */
    private static Set<String> watchedOf(Element element, TypeElement annotation) {
        for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
            if (mirror.getAnnotationType().asElement().equals(annotation)) {
                for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry
                        : mirror.getElementValues().entrySet()) {
                    if (entry.getKey().getSimpleName().contentEquals("watched")) {
                        @SuppressWarnings("unchecked")
                        List<? extends AnnotationValue> names = (List<? extends AnnotationValue>) entry.getValue().getValue();
                        return names.stream().map(v -> (String) v.getValue()).collect(Collectors.toSet());
                    }
                }
            }
        }
        return Set.of();
    }

    private void error(Element element, String message) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
                "@GenerateDelegates/@GenerateRefusals: " + element + " " + message, element);
    }
}
