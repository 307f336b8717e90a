using System.Diagnostics.Metrics;

namespace Mnp.Tests.Unit.Agent.Sync;

/// <summary>Reads the current value of one of a meter's observable gauges, as an exporter would on a scrape.</summary>
internal static class GaugeReader
{
    public static long Read(Meter meter, string name)
    {
        long? value = null;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter) && instrument.Name == name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value ?? throw new InvalidOperationException($"the meter has no gauge {name}");
    }
}
