/** A consumer of ft4j on the module path. */
module com.example.ft4j.modulepath {
    requires io.ft4j;
}
