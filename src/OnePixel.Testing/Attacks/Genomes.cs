namespace OnePixel.Testing.Attacks;

/// <summary>
/// One attack's differential-evolution state: the parents' and children's genomes and the parents'
/// fitness. Kept between attacks (see <see cref="Pool"/>), so attacking 10,000 images at the
/// default budget does not allocate 10,000 sets of them (8 KB each at population 100).
/// </summary>
internal sealed class Genomes
{
    private Genomes(int population, int genes)
    {
        Population = population;
        Parents = new double[population * genes];
        Children = new double[population * genes];
        ParentFitness = new float[population];
    }

    public int Population { get; }

    /// <summary>Population rows of genes; the attack writes every row before reading it.</summary>
    public double[] Parents { get; }

    public double[] Children { get; }
    public float[] ParentFitness { get; }

    /// <summary>Genomes of one search (one gene count), shared by its threads.</summary>
    internal sealed class Pool(int genes)
    {
        private readonly System.Collections.Concurrent.ConcurrentBag<Genomes> _free = [];

        public Genomes Rent(int population)
        {
            while (_free.TryTake(out var genomes))
                if (genomes.Population == population) return genomes;
            return new Genomes(population, genes);
        }

        public void Return(Genomes genomes) => _free.Add(genomes);
    }
}
