package dev.pop3d.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/** The package boundaries of STYLE.md §1, checked on every build. */
@AnalyzeClasses(packages = "dev.pop3d", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule protocolDependsOnNothingInTheProject = noClasses()
            .that().resideInAPackage("dev.pop3d.pop3.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.pop3d.pop3.session..", "dev.pop3d.pop3.server..", "dev.pop3d.mailstore..",
                    "dev.pop3d.auth..", "dev.pop3d.config..", "dev.pop3d.observe..", "dev.pop3d.conf1..",
                    "dev.pop3d.live..", "dev.pop3d.transform..", "dev.pop3d.endpoint..", "dev.pop3d.platform..");

    /** The session driver is the loop of every adapter (socket, in-process): no Vert.x, no I/O of its own. */
    @ArchTest
    static final ArchRule sessionDriverIsVertxFree = noClasses()
            .that().resideInAPackage("dev.pop3d.pop3.driver..")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "jakarta..", "java.nio.file..",
                    "java.net..", "io.quarkus..", "dev.pop3d.pop3.server..", "dev.pop3d.mailstore.maildir..");

    @ArchTest
    static final ArchRule pureLayersKnowNoIoOrFramework = noClasses()
            .that().resideInAnyPackage("dev.pop3d.pop3.protocol..", "dev.pop3d.pop3.session..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.vertx..", "jakarta..", "java.nio.file..", "java.net..", "io.quarkus..");

    /** The intake's protocol core (ADR 0018): no I/O or framework, and nothing of the project's shells or stores. */
    @ArchTest
    static final ArchRule intakeProtocolIsPure = noClasses()
            .that().resideInAPackage("dev.pop3d.intake.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.netty..", "jakarta..", "java.nio.file..",
                    "java.net..", "io.quarkus..", "dev.pop3d.intake.server..", "dev.pop3d.mailstore..",
                    "dev.pop3d.accounts..", "dev.pop3d.auth..", "dev.pop3d.config..", "dev.pop3d.observe..",
                    "dev.pop3d.endpoint..", "dev.pop3d.live..", "dev.pop3d.pop3..", "dev.pop3d.platform..");

    @ArchTest
    static final ArchRule sessionUsesOnlyProtocolAuthAndMailstoreInterfaces = noClasses()
            .that().resideInAPackage("dev.pop3d.pop3.session..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.pop3d.pop3.server..", "dev.pop3d.mailstore.maildir..", "dev.pop3d.config..",
                    "dev.pop3d.observe..", "dev.pop3d.conf1..", "dev.pop3d.live..", "dev.pop3d.transform..");

    @ArchTest
    static final ArchRule plainJavaPackagesKnowNoVertxOrCdi = noClasses()
            .that().resideInAnyPackage("dev.pop3d.mailstore..", "dev.pop3d.auth..", "dev.pop3d.transform..")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "jakarta.enterprise..",
                    "jakarta.inject..", "io.quarkus..");

    /**
     * STYLE §1, as amended by ADR 0009 and 0017: the only homes of Vert.x and CDI (the shared
     * accounts bean, the intake's shell and the admin API joined them with issue 13).
     */
    @ArchTest
    static final ArchRule onlyTheShellsKnowVertxOrCdi = noClasses()
            .that().resideOutsideOfPackages("dev.pop3d.endpoint..", "dev.pop3d.pop3.server..", "dev.pop3d.observe..",
                    "dev.pop3d.live..", "dev.pop3d.hdrp..", "dev.pop3d.config..", "dev.pop3d.startup..", "dev.pop3d",
                    "dev.pop3d.accounts..", "dev.pop3d.intake.server..", "dev.pop3d.admin..")
            .and().doNotHaveSimpleName("Conf1Endpoint")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "jakarta.enterprise..", "jakarta.inject..",
                    "io.quarkus.runtime..", "io.quarkus.arc..");

    /** The endpoint home, the mail codec and the platform facts are neutral: they know no feature. */
    @ArchTest
    static final ArchRule neutralPackagesKnowNoFeature = noClasses()
            .that().resideInAnyPackage("dev.pop3d.endpoint..", "dev.pop3d.mailcodec..", "dev.pop3d.platform..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "dev.pop3d.pop3..", "dev.pop3d.mailstore..", "dev.pop3d.auth..", "dev.pop3d.config..",
                    "dev.pop3d.observe..", "dev.pop3d.conf1..", "dev.pop3d.live..", "dev.pop3d.transform..",
                    "dev.pop3d.hdrp..");

    @ArchTest
    static final ArchRule mailCodecIsPure = noClasses()
            .that().resideInAPackage("dev.pop3d.mailcodec..")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "jakarta..", "java.nio.file..",
                    "java.net..", "io.quarkus..");

    /** Codecs shared by several rooms live in mailcodec, not inside the POP3 protocol. */
    @ArchTest
    static final ArchRule storeAndFilterDoNotUseThePop3Protocol = noClasses()
            .that().resideInAnyPackage("dev.pop3d.mailstore..", "dev.pop3d.transform..")
            .should().dependOnClassesThat().resideInAPackage("dev.pop3d.pop3..");

    @ArchTest
    static final ArchRule nothingDependsOnTheServerShell = noClasses()
            .that().resideOutsideOfPackage("dev.pop3d.pop3.server..")
            .and().resideOutsideOfPackage("dev.pop3d")
            .should().dependOnClassesThat().resideInAPackage("dev.pop3d.pop3.server..");

    @ArchTest
    static final ArchRule noUtilOrCommonPackages = noClasses()
            .should().resideInAnyPackage("..util..", "..common..");

    /**
     * Modules: each top-level package with its subpackages, except that the pop3 layers, the
     * mailstore interfaces vs. their Maildir implementation, and the CONF1 endpoint vs. the plain
     * object library (conf1.objects, used by the features that contribute objects) count apart.
     */
    static final SliceAssignment MODULES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass type) {
            String name = type.getPackageName();
            if (!name.startsWith("dev.pop3d.")) {
                return SliceIdentifier.ignore();
            }
            String[] parts = name.substring("dev.pop3d.".length()).split("\\.");
            boolean layered = (parts[0].equals("pop3") || parts[0].equals("mailstore") || parts[0].equals("conf1"))
                    && parts.length > 1;
            return SliceIdentifier.of(layered ? parts[0] + "." + parts[1] : parts[0]);
        }

        @Override
        public String getDescription() {
            return "pop3d modules";
        }
    };

    @ArchTest
    static final ArchRule noCyclesBetweenModules = slices().assignedFrom(MODULES).should().beFreeOfCycles();

    @ArchTest
    static final ArchRule conf1ObjectsAndParserArePlainJava = noClasses()
            .that().resideInAnyPackage("dev.pop3d.conf1.objects..")
            .or().haveSimpleNameStartingWith("Conf1Parser").or().haveSimpleNameStartingWith("Conf1Registry")
            .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "io.quarkus..", "jakarta.enterprise..");
}
