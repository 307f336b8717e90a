// Every P/Invoke here is [LibraryImport] over blittable types: no runtime marshalling is needed.
[assembly: System.Runtime.CompilerServices.DisableRuntimeMarshalling]
